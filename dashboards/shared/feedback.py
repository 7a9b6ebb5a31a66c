"""Messages beside the form: a refusal shown under the field it names, and a banner for the rest.

Every text that reaches HTML here is escaped: messages quote user input (names, emails).
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

import panel as pn

from thera_analytics.domain.errors import PracticeError

FEEDBACK_CSS = """
.thera-field-error { color: #b3261e; font: 12.5px system-ui, sans-serif; margin: -2px 0 4px 2px;
                     display: flex; gap: 5px; align-items: baseline; }
.thera-field-error::before { content: "⚠"; }
.thera-notice { border-radius: 6px; padding: 8px 12px; font: 13.5px system-ui, sans-serif;
                border: 1px solid; line-height: 1.4; }
.thera-notice.error { background: #ffebe9; border-color: #ff8182; color: #82071e; }
.thera-notice.warning { background: #fff8c5; border-color: #d4a72c; color: #4d2d00; }
.thera-notice.success { background: #dafbe1; border-color: #4ac26b; color: #0e4420; }
.thera-notice.info { background: #ddf4ff; border-color: #54aeff; color: #0a3069; }
"""

def split_refusal(exc: BaseException) -> tuple[str | None, str]:
    """The field a refusal concerns (its ``field``) and what it says (its ``message``)."""
    if isinstance(exc, PracticeError):
        return exc.field, exc.message
    return None, str(exc)


def notice_html(kind: str, text: str, *, title: str = "") -> str:
    """A coloured notice box; ``kind`` is error, warning, success or info."""
    head = f"<b>{escape(title)}</b> " if title else ""
    body = escape(text).replace("\n", "<br>")
    return f'<div class="thera-notice {kind}" role="status">{head}{body}</div>'


class Banner(pn.viewable.Viewer):
    """One message at the top of a form, with optional action buttons beside it."""

    def __init__(self, *actions: pn.widgets.Button, **params: object) -> None:
        super().__init__(**params)
        self._text = pn.pane.HTML("", stylesheets=[FEEDBACK_CSS], sizing_mode="stretch_width",
                                  margin=(4, 5))
        self._actions = {a.label: a for a in actions}
        for a in actions:
            a.visible = False
        self._row = pn.Column(self._text, pn.Row(*actions, margin=0), visible=False,
                              sizing_mode="stretch_width", margin=0,
                              css_classes=["thera-banner"])

    def show(self, kind: str, text: str, *, title: str = "",
             actions: Iterable[str] = ()) -> None:
        wanted = set(actions)
        self._text.object = notice_html(kind, text, title=title)
        for name, button in self._actions.items():
            button.visible = name in wanted
        self._row.visible = True

    def clear(self) -> None:
        self._row.visible = False
        self._text.object = ""
        for button in self._actions.values():
            button.visible = False

    @property
    def text(self) -> str:
        return self._text.object or ""

    def __panel__(self) -> pn.viewable.Viewable:
        return self._row


class FieldErrors:
    """One error line per field, placed under that field's widget."""

    def __init__(self, fields: Iterable[str]) -> None:
        self._panes: dict[str, pn.pane.HTML] = {}
        for f in fields:
            self._panes[f] = pn.pane.HTML(
                "", visible=False, margin=(0, 10), sizing_mode="stretch_width",
                stylesheets=[FEEDBACK_CSS], css_classes=["thera-error", f"thera-error-{f}"])

    def __getitem__(self, field: str) -> pn.pane.HTML:
        return self._panes[field]

    def __contains__(self, field: object) -> bool:
        return field in self._panes

    def show(self, field: str | None, message: str) -> bool:
        """Put the message under its field; False if this form has no such field."""
        if field is None:
            return False
        field = field.split("[", 1)[0]
        if field not in self._panes:
            return False
        pane = self._panes[field]
        pane.object = f'<div class="thera-field-error">{escape(message)}</div>'
        pane.visible = True
        return True

    def clear(self) -> None:
        for pane in self._panes.values():
            if pane.visible:
                pane.visible = False
                pane.object = ""

    def shown(self) -> dict[str, str]:
        """Field -> HTML of the errors on display (for tests)."""
        return {f: p.object for f, p in self._panes.items() if p.visible}

# A button for what cannot be undone (cancel a session, retire a reason): 6.5:1 contrast.
DANGER_CSS = """
.bk-btn-danger { background-color: #b3261e; border-color: #8c1d18; color: #ffffff; }
.bk-btn-danger:hover, .bk-btn-danger:focus { background-color: #8c1d18; }
.bk-btn-danger.bk-btn-outline, :host(.outline) .bk-btn-danger { color: #b3261e;
  background-color: #ffffff; }
"""
