"""Step 2, Plan: plan text, with the previous homework and note pre-filled and editable."""

from __future__ import annotations

from html import escape

import panel as pn
import param

from dashboards.scheduler.details_form import FORM_CSS
from dashboards.shared.feedback import FEEDBACK_CSS, FieldErrors
from thera_analytics.domain.local_time import to_local
from thera_analytics.domain.record import EventRecord
from thera_analytics.practice import Practice

FIELDS = ("plan", "previous_homework", "previous_note")


class PlanForm(pn.viewable.Viewer):
    """The plan step; pre-fills from the most recent earlier session with the same client(s)."""

    practice = param.ClassSelector(class_=Practice)
    editable = param.Boolean(default=True)

    def __init__(self, **params: object) -> None:
        super().__init__(**params)
        self.errors = FieldErrors(FIELDS)
        w = pn.widgets
        self.plan = w.TextAreaInput(label="Plan", height=140, sizing_mode="stretch_width",
                                    placeholder="Aims, activities, measures for this session")
        self.previous_homework = w.TextAreaInput(label="Previous homework", height=90,
                                                 sizing_mode="stretch_width")
        self.previous_note = w.TextAreaInput(label="Previous note", height=110,
                                             sizing_mode="stretch_width")
        self._source = pn.pane.HTML("", stylesheets=[FORM_CSS], margin=(0, 10))
        self._layout = pn.Column(
            self.plan, self.errors["plan"], self._source, self.previous_homework,
            self.errors["previous_homework"], self.previous_note, self.errors["previous_note"],
            sizing_mode="stretch_width", margin=0, stylesheets=[FEEDBACK_CSS])

    def __panel__(self) -> pn.viewable.Viewable:
        return self._layout

    @param.depends("editable", watch=True)
    def _on_editable(self) -> None:
        for widget in (self.plan, self.previous_homework, self.previous_note):
            widget.disabled = not self.editable

    def load(self, rec: EventRecord, actor: object) -> None:
        """Show the saved plan, or a fresh one pre-filled from the client's last session."""
        self.errors.clear()
        self.plan.value = rec.plan_text or ""
        if rec.plan_saved_at is not None:
            self.previous_homework.value = rec.previous_homework or ""
            self.previous_note.value = rec.previous_note or ""
            self._source.object = ""
            return
        filled = self.practice.plan_prefill(actor, rec.id)  # type: ignore[arg-type]
        self.previous_homework.value = filled.previous_homework
        self.previous_note.value = filled.previous_note
        hint = ""
        if filled.from_event_id is not None:
            try:
                source = self.practice.event(actor, filled.from_event_id)  # type: ignore[arg-type]
                when = to_local(source.start, self.practice.db.zone)
                hint = (f"Pre-filled from the {source.kind.label.lower()} on "
                        f"{when:%a %-d %b %Y}; edit as needed.")
            except Exception:  # the hint is a courtesy; the pre-fill itself stands
                hint = "Pre-filled from the most recent earlier session; edit as needed."
        self._source.object = f'<div class="thera-hint">{escape(hint)}</div>' if hint else ""

    def changes(self) -> dict[str, str]:
        return {"plan_text": self.plan.value or "",
                "previous_homework": self.previous_homework.value or "",
                "previous_note": self.previous_note.value or ""}
