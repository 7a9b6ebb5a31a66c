"""The frame every served app shares: a header naming who is signed in, with a way out."""

from __future__ import annotations

from html import escape

import panel as pn
import param

from dashboards.a11y_repairs import AccessibilityRepairs
from thera_analytics.domain.actor import Actor
from thera_analytics.domain.labels import enum_label

HEADER_CSS = """
:host { width: 100%; }
.thera-header {
  align-items: center;
  background: #1d4f86;
  box-sizing: border-box;
  color: #ffffff;
  display: flex;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif;
  gap: 16px;
  padding: 10px 20px;
  width: 100%;
}
.thera-title { font-size: 1.2rem; font-weight: 600; margin: 0 auto 0 0; }
.thera-user { font-weight: 600; }
.thera-role {
  background: rgba(255, 255, 255, 0.18);
  border-radius: 10px;
  font-size: 0.85rem;
  padding: 1px 10px;
}
.thera-logout { color: #ffffff; font-weight: 600; }
.thera-logout:hover, .thera-logout:focus { color: #d9e8f7; }
"""


def logout_url() -> str:
    """Panel's built-in logout endpoint, under the server's root path."""
    return f"{(pn.state.base_url or '/').rstrip('/')}/logout"


def header(actor: Actor, title: str) -> pn.pane.HTML:
    """The page header: app title, the user's display name and role, and "Log out"."""
    # Names come from the database and are shown as text: escape, never trust.
    role = enum_label(actor.role)
    name = actor.display_name.strip()
    # A user named after their role ("Practice manager") is not introduced twice.
    user = ("" if name.casefold() == role.casefold() else
            f'<span class="thera-user">{escape(name)}</span>')
    html = (
        '<header class="thera-header">'
        f'<h1 class="thera-title">{escape(title)}</h1>'
        f'{user}<span class="thera-role">{escape(role)}</span>'
        f'<a class="thera-logout" href="{escape(logout_url())}">Log out</a>'
        "</header>"
    )
    return pn.pane.HTML(html, stylesheets=[HEADER_CSS], sizing_mode="stretch_width",
                        margin=0, css_classes=["thera-shell-header"])


class AppShell(pn.viewable.Viewer):
    """An app's page: the shared header above the app's own content."""

    actor = param.ClassSelector(class_=Actor, allow_None=False, doc="Who is signed in.")
    title = param.String(default="Thera", doc="The app's name, shown in the header.")

    def __init__(self, *content: object, **params: object) -> None:
        super().__init__(**params)
        self._header = header(self.actor, self.title)
        self._main = pn.Column(*content, sizing_mode="stretch_width", margin=(10, 20),
                               css_classes=["thera-main"])  # the page's main landmark

    def __panel__(self) -> pn.viewable.Viewable:
        return pn.Column(self._header, self._main, AccessibilityRepairs(),
                         sizing_mode="stretch_width", margin=0)
