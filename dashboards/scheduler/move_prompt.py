"""The question a drag on the week may need answered, and what became of the move.

A dragged session of a series asks "this session or this and following"; a move onto another
event asks before saving anyway. Whatever the answer, the browser hears back: a refused or
abandoned move goes back where it was. Messages sit in a live region, so a screen reader hears
"Moved" or why not.
"""

from __future__ import annotations

from collections.abc import Callable

import panel as pn

from dashboards.shared.feedback import FEEDBACK_CSS, notice_html


class MovePrompt(pn.viewable.Viewer):
    """A notice above the week with the buttons the pending move needs."""

    def __init__(self, **params: object) -> None:
        super().__init__(**params)
        # Built on the first drag: most pages never need it (see SchedulerApp on page cost).
        self._layout = pn.Column(sizing_mode="stretch_width", margin=(0, 10), visible=False,
                                 css_classes=["thera-move"])
        self._answers: dict[pn.widgets.Button, Callable[[], None]] = {}
        self._built = False

    def _build(self) -> None:
        if self._built:
            return
        w = pn.widgets
        self.this_only = w.Button(label="This session", color="primary", width=130)
        self.following = w.Button(label="This and following", color="primary", width=170)
        self.anyway = w.Button(label="Move anyway", color="warning", width=130)
        self.put_back = w.Button(label="Put it back", color="light", width=110)
        self._text = pn.pane.HTML("", stylesheets=[FEEDBACK_CSS], sizing_mode="stretch_width",
                                  margin=(4, 5), css_classes=["thera-move-message"])
        self._buttons = pn.Row(self.this_only, self.following, self.anyway, self.put_back,
                               margin=0, visible=False)
        for button in (self.this_only, self.following, self.anyway, self.put_back):
            button.on_click(lambda e: self._answer(e.obj))
        self._layout.objects = [self._text, self._buttons]
        self._built = True

    def ask(self, text: str, answers: dict[str, Callable[[], None]]) -> None:
        """Show a question; each named button (by label) runs its answer once."""
        self._build()
        buttons = {b.label: b for b in (self.this_only, self.following, self.anyway,
                                        self.put_back)}
        self._answers = {buttons[label]: run for label, run in answers.items()}
        with pn.io.hold():
            for button in buttons.values():
                button.visible = button in self._answers
            self._text.object = notice_html("warning", text, title="Move?")
            self._buttons.visible = True
            self._layout.visible = True

    def tell(self, kind: str, text: str) -> None:
        """Say what became of a move (success, error or info); no buttons."""
        self._build()
        self._answers = {}
        with pn.io.hold():
            self._text.object = notice_html(kind, text)
            self._buttons.visible = False
            self._layout.visible = True

    def clear(self) -> None:
        self._answers = {}
        self._layout.visible = False

    @property
    def pending(self) -> bool:
        return bool(self._answers)

    @property
    def text(self) -> str:
        return (self._text.object or "") if self._built else ""

    def _answer(self, button: pn.widgets.Button) -> None:
        run = self._answers.get(button)
        self._answers = {}
        if run is not None:
            run()

    def __panel__(self) -> pn.viewable.Viewable:
        return self._layout
