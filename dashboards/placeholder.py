"""Stand-in for an app not built yet: the shared header and a short note."""

from __future__ import annotations

from collections.abc import Callable
from html import escape

import panel as pn
import param

from dashboards.shell import AppShell
from thera_analytics.clock import Clock
from thera_analytics.domain.actor import Actor
from thera_analytics.store.database import Database


class Placeholder(pn.viewable.Viewer):
    """A page saying the named app is coming in a later release."""

    actor = param.ClassSelector(class_=Actor, allow_None=False)
    app_name = param.String(default="", doc="The app's name, e.g. 'Practice'.")

    def __panel__(self) -> pn.viewable.Viewable:
        note = pn.pane.HTML(
            f'<p class="thera-coming">The {escape(self.app_name)} app is coming in a later '
            "release.</p>",
            stylesheets=[".thera-coming { font-size: 1.1rem; color: #3e4c59; }"],
        )
        return AppShell(note, actor=self.actor, title=self.app_name)


def placeholder_app(app_name: str) -> Callable[[Database, Actor, Clock], Placeholder]:
    """A route factory, like an app module's ``create_app``, that builds a Placeholder."""

    def create_app(db: Database, actor: Actor, clock: Clock) -> Placeholder:
        return Placeholder(actor=actor, app_name=app_name)

    return create_app
