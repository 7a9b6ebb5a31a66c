"""The event editor: Details / Plan / Outcome for client events, Details only for the rest.

This module builds the editor's forms and buttons and opens an event (or a new one at a slot) on
a step; what each button writes, and how a refusal is shown, is in ``editor_saves.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from html import escape

import panel as pn
import param

from dashboards.scheduler.details_form import DetailsForm
from dashboards.scheduler.editor_saves import SAVE_ANYWAY, EditorSaves
from dashboards.scheduler.form_parts import field_row
from dashboards.scheduler.outcome_form import OutcomeForm
from dashboards.scheduler.plan_form import PlanForm
from dashboards.scheduler.read_only import keep_readable
from dashboards.scheduler.reason_picker import ReasonPicker
from dashboards.shared import record_head
from dashboards.shared.feedback import (
    DANGER_CSS,
    FEEDBACK_CSS,
    Banner,
    notice_html,
    split_refusal,
)
from thera_analytics.domain import palette
from thera_analytics.domain.actor import Actor
from thera_analytics.domain.errors import NotFoundError, PermissionDenied
from thera_analytics.domain.permissions import can_change, can_comment
from thera_analytics.domain.record import EventRecord
from thera_analytics.domain.steps import Step
from thera_analytics.practice import Practice

STEPS = (Step.DETAILS, Step.PLAN, Step.OUTCOME)
TAB_NAMES = {Step.DETAILS: "1 · Details", Step.PLAN: "2 · Plan", Step.OUTCOME: "3 · Outcome"}

EDITOR_CSS = """
.thera-editor-head { font: 13px system-ui, sans-serif; color: #1f2328; padding: 10px 12px;
                     border-left: 6px solid var(--edge); background: var(--fill);
                     border-radius: 6px; }
.thera-editor-head .kind { font-weight: 700; font-size: 15px; }
.thera-editor-head .who { font-size: 14px; margin-top: 2px; overflow-wrap: anywhere; }
.thera-editor-head .when { color: #32383f; margin-top: 2px; }
.thera-editor-head .dots { margin-top: 6px; display: flex; gap: 12px; flex-wrap: wrap; }
.thera-editor-head .dot { display: inline-flex; align-items: center; gap: 4px; }
.thera-editor-head .dot i { width: 10px; height: 10px; border-radius: 50%; display: inline-block;
                            border: 1px solid #fff; }
.thera-empty { font: 14px system-ui, sans-serif; color: #57606a; padding: 24px 12px;
               text-align: center; border: 2px dashed #d0d7de; border-radius: 8px; }
"""


class EventEditor(EditorSaves, pn.viewable.Viewer):
    """Opens one event (or a new one at a slot) and saves each step through the core."""

    practice = param.ClassSelector(class_=Practice)
    actor = param.ClassSelector(class_=Actor)
    record = param.ClassSelector(class_=EventRecord, default=None, allow_None=True,
                                 doc="The saved event shown; None for a new one or none.")
    is_open = param.Boolean(default=False, doc="An event (new or saved) is in the editor.")
    saved = param.Event(doc="Something was written: the calendar should refresh.")
    closed = param.Event(doc="The user closed the editor.")
    book_requested = param.Event(doc="The user asked for a new event without picking a slot.")

    def __init__(self, **params: object) -> None:
        super().__init__(**params)
        self._retry: Callable[[], None] | None = None
        self._filled: set[Step] = set()  # the steps filled with the record shown
        w = pn.widgets
        self._reload = w.Button(label="Reload", color="primary", width=100)
        self._save_anyway = w.Button(label=SAVE_ANYWAY, color="warning", min_width=130)
        self._reload.on_click(lambda _: self.reload())
        self._save_anyway.on_click(self._on_save_anyway)
        self.banner = Banner(self._reload, self._save_anyway)
        # The lists of a clinician's clients and colleagues load once, up front.
        self.details = DetailsForm(practice=self.practice, actor=self.actor,
                                   clinician_id=self.actor.clinician_id)
        self.plan = PlanForm(practice=self.practice)
        self.outcome = OutcomeForm(practice=self.practice)
        keep_readable([*self.details._inputs(), self.details.tp_toggle, self.plan.plan,
                       self.plan.previous_homework, self.plan.previous_note,
                       self.outcome.status, self.outcome.note, self.outcome.homework,
                       self.outcome.homework_flags])

        self.save_details = w.Button(label="Save", color="primary", width=100)
        self.next_details = w.Button(label="Save and next ›", color="default", width=150)
        self.save_plan = w.Button(label="Save", color="primary", width=100)
        self.next_plan = w.Button(label="Save and next ›", color="default", width=150)
        self.save_outcome = self.outcome.save
        self.cancel_event = w.Button(label="Cancel event…", color="danger",
                                     variant="outline", width=130)
        self.confirm_cancel = w.Button(label="Yes, cancel it", color="danger", width=130,
                                       stylesheets=[DANGER_CSS])
        self.keep_event = w.Button(label="Keep it", color="light", width=90)
        self.cancel_scope = w.RadioButtonGroup(
            options={"This event": "this", "This and all following": "following"},
            value="this")
        self.close_button = w.Button(label="✕", color="light", width=40,
                                     description="Close the editor")

        self.save_details.on_click(lambda _: self._save_details(False))
        self.next_details.on_click(lambda _: self._save_details(True))
        self.save_plan.on_click(lambda _: self._save_plan(False))
        self.next_plan.on_click(lambda _: self._save_plan(True))
        self.save_outcome.on_click(lambda _: self._save_outcome())
        self.outcome.sign.on_click(self._on_sign)
        self.outcome.confirm_sign.on_click(self._on_confirm_sign)
        self.outcome.add_comment.on_click(self._on_comment)
        self.cancel_event.on_click(self._on_cancel_event)
        self.confirm_cancel.on_click(self._on_confirm_cancel)
        self.keep_event.on_click(lambda _: setattr(self._cancel_row, "visible", False))
        self.close_button.on_click(lambda _: self.close())

        self._head = pn.pane.HTML("", stylesheets=[EDITOR_CSS], sizing_mode="stretch_width",
                                  margin=(5, 5), css_classes=["thera-editor-header"])
        self.cancel_reason = ReasonPicker("Why is it cancelled?")
        self._cancel_row = pn.Column(
            pn.pane.HTML('<div class="thera-notice warning">Take this event off the calendar? '
                         "Its reminders are cancelled too.</div>",
                         stylesheets=[FEEDBACK_CSS], sizing_mode="stretch_width"),
            self.cancel_scope, self.cancel_reason,
            pn.Row(self.confirm_cancel, self.keep_event, margin=0),
            visible=False, sizing_mode="stretch_width", margin=0)
        # Wraps on a phone: three buttons side by side are wider than 390 px.
        self._details_actions = field_row(self.save_details, self.next_details,
                                          self.cancel_event, margin=(5, 0))
        self._plan_actions = pn.Row(self.save_plan, self.next_plan)
        self._outcome_actions = self.outcome.actions
        # Each step's panel receives its form when the step is first shown (``_attach``): the
        # editor built after page load sends its frame only, and a step never shown costs the
        # browser nothing.
        self._contents = {Step.DETAILS: [self.details, self._details_actions, self._cancel_row],
                          Step.PLAN: [self.plan, self._plan_actions],
                          Step.OUTCOME: [self.outcome]}
        self._tab_details = pn.Column(sizing_mode="stretch_width", margin=0,
                                      css_classes=["thera-step-details"])
        self._tab_plan = pn.Column(sizing_mode="stretch_width", margin=0, visible=False,
                                   css_classes=["thera-step-plan"])
        self._tab_outcome = pn.Column(sizing_mode="stretch_width", margin=0, visible=False,
                                      css_classes=["thera-step-outcome"])
        self._panels = {Step.DETAILS: self._tab_details, Step.PLAN: self._tab_plan,
                        Step.OUTCOME: self._tab_outcome}
        # Steps as a button bar over panels kept in the page: switching steps or events only
        # toggles visibility and values, it never rebuilds the form's models.
        self.steps = w.RadioButtonGroup(options={TAB_NAMES[s]: s.value for s in STEPS},
                                        value=Step.DETAILS.value, color="primary",
                                        variant="outline", sizing_mode="stretch_width",
                                        min_width=240, css_classes=["thera-steps"])
        self.steps.param.watch(self._on_step, "value")
        self.book = w.Button(label="Book an event…", color="primary", width=160,
                             visible=self.actor.is_clinician,
                             description="Open a new event form (or click an empty slot)")
        self.book.on_click(lambda _: self.param.trigger("book_requested"))
        self._empty = pn.Column(pn.pane.HTML(
            '<div class="thera-empty">Click an event to open it,<br>or an empty slot on the '
            "calendar to book a session at that time.</div>",
            stylesheets=[EDITOR_CSS], sizing_mode="stretch_width"), self.book,
            sizing_mode="stretch_width", margin=0)
        self._step_note = pn.pane.HTML("", stylesheets=[FEEDBACK_CSS], visible=False,
                                       sizing_mode="stretch_width", margin=(5, 10),
                                       css_classes=["thera-step-note"])
        # The sign icon sits on the step bar, at the top of the editor, as the help article
        # has it, with the reason it cannot be used yet just below it on every step; the
        # outcome form keeps the button (and what enables it).
        self.outcome.sign.param.update(margin=(5, 10), align="center",
                                       description="Sign the note (opens the Outcome step)")
        self._step_bar = field_row(self.steps, self.outcome.sign, align_items="center",
                                   css_classes=["thera-step-bar"])
        self._body = pn.Column(
            pn.Row(self._head, self.close_button, sizing_mode="stretch_width", margin=0),
            self._step_bar, self.outcome.sign_reason, self._step_note, self._tab_details,
            self._tab_plan, self._tab_outcome,
            sizing_mode="stretch_width", margin=0, visible=False)
        self._layout = pn.Column(self.banner, self._empty, self._body,
                                 sizing_mode="stretch_width", margin=0,
                                 css_classes=["thera-editor"])

    def __panel__(self) -> pn.viewable.Viewable:
        return self._layout

    # -- who may do what -----------------------------------------------------------------------
    def _owner(self, rec: EventRecord) -> bool:
        return can_change(self.actor, rec.clinician_id)

    def _can_comment(self, rec: EventRecord) -> bool:
        return can_comment(self.actor, rec.clinician_id, rec.team_member_ids)

    # -- opening -------------------------------------------------------------------------------
    def open(self, event_id: int, step: Step | None = None) -> bool:
        """Show a saved event on the step that is next to do (or ``step``)."""
        try:
            rec = self.practice.event(self.actor, int(event_id))
        except (PermissionDenied, NotFoundError) as exc:
            with pn.io.hold():
                self._show_nothing()
                _, message = split_refusal(exc)
                self.banner.show("error", message[:1].upper() + message[1:] + ".",
                                 title="Cannot open this event.")
            return False
        # Everything the browser is told about this event goes in one message.
        with pn.io.hold():
            self.banner.clear()
            self._show(rec, step or rec.next_step)
            if not self._owner(rec):
                self.banner.show("info", f"This is {rec.clinician_name}'s event: you can read "
                                 "it" + (" and add comments." if self._can_comment(rec) else "."),
                                 title="Read only.")
        return True

    def reload(self) -> None:
        """Read the event again (after someone else's save); unsaved changes are dropped."""
        if self.record is None:
            return
        current = self._current_step()
        self.open(self.record.id, current)

    def new(self, start: datetime) -> None:
        """An empty Details form for an event starting at ``start`` (wall-clock)."""
        self.banner.clear()
        if not self.actor.is_clinician or self.actor.clinician_id is None:
            self.banner.show("info", "Clinicians book their own sessions; pick an event to "
                             "read it.", title="Read only.")
            return
        self._retry = None
        with pn.io.hold():
            self.record = None
            self._filled = {Step.DETAILS}
            self.details.editable = True
            self.details.load_new(start, self.actor.clinician_id)
            self._set_buttons(details=True, plan=False, outcome=False, new=True)
            self.steps.visible = False
            self.outcome.can_sign = False
            self._go(Step.DETAILS)
            self._head.object = self._head_html(None, start)
            self._empty.visible = False
            self._body.visible = True
            self.is_open = True

    def close(self) -> None:
        self._show_nothing()
        self.banner.clear()
        self.closed = True

    def _show_nothing(self) -> None:
        self.record = None
        self._retry = None
        self._empty.visible = True
        self._body.visible = False
        self.is_open = False

    def _show(self, rec: EventRecord, step: Step) -> None:
        now = self.practice.now()
        owner = self._owner(rec)
        with pn.io.hold():
            self.record = rec
            self._retry = None
            self._filled = set()  # each step is filled when it is first shown (``_fill``)
            self._cancel_row.visible = False
            self.details.editable = owner and rec.signed_at is None
            if rec.is_client_event:
                self.plan.editable = owner and not rec.locked(now)
                self.outcome.prepare(rec, now, editable=owner,
                                     can_comment=self._can_comment(rec), owner=owner)
            else:
                self.outcome.can_sign = False
            self._set_buttons(details=self.details.editable, plan=self.plan.editable,
                              outcome=self.outcome.editable, new=False,
                              client=rec.is_client_event)
            self.steps.visible = rec.is_client_event
            if rec.is_client_event:
                done = rec.dots.as_tuple() if rec.dots else (False, False, False)
                self.steps.options = {TAB_NAMES[s] + (" ✓" if ok else ""): s.value
                                      for s, ok in zip(STEPS, done, strict=True)}
            self._go(step if rec.is_client_event else Step.DETAILS)
            self._head.object = self._head_html(rec)
            self._empty.visible = False
            self._body.visible = True
            self.is_open = True

    def _set_buttons(self, *, details: bool, plan: bool, outcome: bool, new: bool,
                     client: bool = True) -> None:
        # Whole rows appear or vanish: one re-layout each, not one per button.
        self._details_actions.visible = details
        self.next_details.visible = client
        self.cancel_event.visible = not new
        self._plan_actions.visible = plan
        self.save_outcome.visible = outcome
        self._outcome_actions.visible = outcome or self.outcome.can_sign

    def _current_step(self) -> Step:
        return Step(self.steps.value)

    def _go(self, step: Step) -> None:
        if self.steps.value == step.value:
            self._on_step()
        else:
            self.steps.value = step.value

    def _fill(self, step: Step) -> None:
        """Fill a step's form with the record shown, the first time the step is shown: an
        event opens on one step, and filling the others would cost the click for nothing."""
        rec = self.record
        if rec is None or step in self._filled:
            return
        self._filled.add(step)
        if step is Step.DETAILS:
            self.details.load(rec)
        elif step is Step.PLAN:
            self.plan.load(rec, self.actor)
        else:
            self.outcome.fill(rec, self.practice.now())

    def _attach(self, step: Step) -> None:
        panel = self._panels[step]
        if not panel.objects:
            panel.objects = self._contents[step]

    def _on_step(self, *_: object) -> None:
        current = Step(self.steps.value)
        self._attach(current)
        self._fill(current)
        for step, panel in self._panels.items():
            panel.visible = step is current
        note = self._step_note_text(current)
        self._step_note.object = notice_html("info", note) if note else ""
        self._step_note.visible = bool(note)

    def _step_note_text(self, step: Step) -> str:
        """Why a step of the owner's own event cannot be edited, if it cannot."""
        rec = self.record
        if rec is None or not self._owner(rec) or rec.signed_at is None:
            return ""
        if step is Step.DETAILS:
            return ("This session is signed, so its details and time stay as they are; "
                    "add a comment on the Outcome step instead.")
        if step is Step.PLAN and rec.locked(self.practice.now()):
            return "The note was signed more than 24 hours ago: the plan is read-only."
        if step is Step.PLAN:
            return "Changes to the plan are kept as amendments while the 24-hour window is open."
        return ""

    def _head_html(self, rec: EventRecord | None, start: datetime | None = None) -> str:
        # tabindex -1: the week moves keyboard focus here when it opens an event.
        attributes = ' tabindex="-1"'
        if rec is None:
            assert start is not None
            return record_head.head_html(
                palette.ColourFamily.BLUE, "New event", "Choose the kind and fill in the details",
                record_head.new_event_when(start), css_class="thera-editor-head",
                attributes=attributes)
        when = record_head.when_text(rec, self.practice.db.zone)
        if rec.series_id is not None:
            when += " · repeating"
        return record_head.head_html(
            rec.kind.colour_family, escape(record_head.kind_text(rec)),
            record_head.who_text(rec), when, record_head.dots_html(rec.dots),
            css_class="thera-editor-head", attributes=attributes)
