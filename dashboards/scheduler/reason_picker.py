"""Why a session was cancelled: a choice from the manager's list, with words when it needs them.

Used by the cancel dialog (the whole event) and by the outcome step (one per client marked
Cancelled, Late cancellation or No show). Retired reasons are not offered.
"""

from __future__ import annotations

from html import escape

import panel as pn

from dashboards.shared.feedback import FEEDBACK_CSS
from thera_analytics.domain.cancellation import CancellationReason
from thera_analytics.practice import Practice

CHOOSE = "— choose a reason —"

# Bokeh's red (#d9534f) gives white text 3.96:1; this red gives 6.5:1 (WCAG AA), as text on
# white too (outline buttons).


class ReasonPicker(pn.viewable.Viewer):
    """A labelled reason select, a text box shown for reasons such as "Other", and the error
    line the use case's refusal lands on."""

    def __init__(self, label: str, *, more: str = "Say more", optional: bool = False,
                 **params: object) -> None:
        super().__init__(**params)
        self.optional = optional
        self.select = pn.widgets.Select(label=label, options={CHOOSE: None}, value=None,
                                        sizing_mode="stretch_width", margin=(5, 10),
                                        css_classes=["thera-reason"])
        self.text = pn.widgets.TextInput(label=more, placeholder="A few words",
                                         sizing_mode="stretch_width", margin=(0, 10),
                                         visible=False, css_classes=["thera-reason-text"])
        self.error = pn.pane.HTML("", visible=False, margin=(0, 10), stylesheets=[FEEDBACK_CSS],
                                  sizing_mode="stretch_width", css_classes=["thera-error"])
        self._needs_text: set[str] = set()
        self.select.param.watch(self._on_choice, "value")
        self._layout = pn.Column(self.select, self.text, self.error, margin=0,
                                 sizing_mode="stretch_width", visible=False)

    def __panel__(self) -> pn.viewable.Viewable:
        return self._layout

    @property
    def visible(self) -> bool:
        return bool(self._layout.visible)

    @visible.setter
    def visible(self, value: bool) -> None:
        self._layout.visible = value

    def offer(self, practice: Practice) -> None:
        """Load the reasons in use and clear the choice."""
        table = practice.cancellation_reasons(include_retired=False)
        none = "— no reason —" if self.optional else CHOOSE
        self.select.options = {none: None, **dict(zip(table["label"], table["code"],
                                                      strict=True))}
        self._needs_text = set(table.loc[table["needs_text"].astype(bool), "code"])
        self.select.value = None
        self.text.value = ""
        self.clear_error()

    def _on_choice(self, event: object) -> None:
        self.text.visible = self.select.value in self._needs_text
        self.clear_error()  # answered: the complaint goes until the next try

    @property
    def reason(self) -> CancellationReason | None:
        """The reason as chosen, or None."""
        if self.select.value is None:
            return None
        return CancellationReason(str(self.select.value), (self.text.value or "").strip())

    def show_error(self, message: str) -> None:
        self.error.object = f'<div class="thera-field-error">{escape(message)}</div>'
        self.error.visible = True

    def clear_error(self) -> None:
        self.error.visible = False
        self.error.object = ""

    @property
    def disabled(self) -> bool:
        return bool(self.select.disabled)

    @disabled.setter
    def disabled(self, value: bool) -> None:
        self.select.disabled = self.text.disabled = value
