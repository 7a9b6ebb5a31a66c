"""What the event editor writes: each step's save, cancelling, signing and comments, and how a
refusal from the core is shown.

``EditorSaves`` is mixed into ``EventEditor`` (``editor.py``), which builds the forms and opens
events; these handlers read the forms and call the use cases. Every refusal is shown next to the
field it names (or in the banner when it names none), and the form keeps what was typed. A save
over someone else's newer save offers a reload.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import panel as pn

from dashboards.scheduler.details_form import DetailsForm
from dashboards.scheduler.outcome_form import OutcomeForm
from dashboards.scheduler.plan_form import PlanForm
from dashboards.scheduler.reason_picker import ReasonPicker
from dashboards.shared.feedback import Banner, FieldErrors, split_refusal
from thera_analytics.domain.actor import Actor
from thera_analytics.domain.details import EventDetails
from thera_analytics.domain.errors import ConflictError, LockedError, PracticeError
from thera_analytics.domain.labels import value_label
from thera_analytics.domain.local_time import to_local
from thera_analytics.domain.record import EventRecord
from thera_analytics.domain.steps import Step
from thera_analytics.practice import Practice
from thera_analytics.service.scheduling import OverlapError
from thera_analytics.store.database import WriteConflict

SAVE_ANYWAY = "Save anyway"


def overlap_text(exc: OverlapError, zone: ZoneInfo) -> str:
    """Every event the save clashes with, by kind, day and time."""
    clashes = []
    for o in exc.overlaps:
        s, e = to_local(o.start, zone), to_local(o.end, zone)
        what = value_label("kind", o.kind) + (f" “{o.title}”" if o.title else "")
        clashes.append(f"{what} on {s:%a %-d %b} {s:%H:%M}–{e:%H:%M}")
    n = len(clashes)
    head = ("This overlaps your " if n == 1 else f"This overlaps {n} of your events: ")
    return head + "; ".join(clashes) + "."


def save_anyway_label(clashing: int) -> str:
    """The button's words: how many of the sessions being saved clash, when more than one."""
    return SAVE_ANYWAY if clashing <= 1 else f"{SAVE_ANYWAY} ({clashing} sessions clash)"


def _same_details(a: EventDetails, rec: EventRecord) -> bool:
    """True when the form's details (times aside) equal the saved record's."""
    return (a.kind is rec.kind and (a.title or "").strip() == (rec.title or "")
            and a.service_id == rec.service_id
            and sorted(a.client_ids) == sorted(rec.client_ids)
            and (a.direct if a.kind.is_client_event else None) == rec.direct
            and sorted(a.team_member_ids) == sorted(rec.team_member_ids)
            and sorted(a.third_party_ids) == sorted(rec.third_party_ids)
            and set(a.reminders) == set(rec.reminders)
            and (a.video_link or None) == (rec.video_link or None))


class EditorSaves:
    """The editor's writing half: saves, cancel, sign, comment and their refusals."""

    if TYPE_CHECKING:  # built by EventEditor
        practice: Practice | None
        actor: Actor | None
        record: EventRecord | None
        saved: bool
        banner: Banner
        details: DetailsForm
        plan: PlanForm
        outcome: OutcomeForm
        cancel_scope: pn.widgets.RadioButtonGroup
        cancel_reason: ReasonPicker
        _cancel_row: pn.Column
        _reload: pn.widgets.Button
        _save_anyway: pn.widgets.Button
        _retry: Callable[[], None] | None

        def open(self, event_id: int, step: Step | None = None) -> bool: ...
        def _show_nothing(self) -> None: ...
        def _can_comment(self, rec: EventRecord) -> bool: ...
        def _go(self, step: Step) -> None: ...
        def _set_buttons(self, *, details: bool, plan: bool, outcome: bool, new: bool,
                         client: bool = True) -> None: ...

    # -- refusals ------------------------------------------------------------------------------
    def _refused(self, exc: BaseException, errors: FieldErrors, retry: Callable[[], None]) -> None:
        """Show a refusal where it belongs; the form keeps its contents."""
        if isinstance(exc, OverlapError):
            self._retry = retry
            self._save_anyway.label = save_anyway_label(exc.clashing)
            self.banner.show("warning", overlap_text(exc, self.practice.db.zone),
                             title="Overlap.", actions=[SAVE_ANYWAY])
            errors.show("start", "overlaps another event")
            return
        if isinstance(exc, ConflictError | WriteConflict):
            self.banner.show(
                "warning", "Someone else saved this event after you opened it, so your change "
                "was not saved. Your edits are still in the form; Reload shows their version "
                "(your unsaved edits are then lost).", title="Not saved.",
                actions=[self._reload.label])
            return
        field, message = split_refusal(exc)
        if isinstance(exc, LockedError):
            self.banner.show("error", message[:1].upper() + message[1:] + ".",
                             title="Not saved: the note is locked.")
            self._locked_after_refusal()
            return
        if not errors.show(field, message):
            self.banner.show("error", message[:1].upper() + message[1:], title="Not saved.")
        else:
            self.banner.show("error", "Check the highlighted field.", title="Not saved.")

    def _locked_after_refusal(self) -> None:
        """The window closed while the form was open: keep the text, offer comments."""
        rec = self.record
        self.details.editable = False
        self.plan.editable = False
        self.outcome.editable = False
        self._set_buttons(details=False, plan=False, outcome=False, new=False)
        if rec is not None and self._can_comment(rec):
            self.outcome.can_comment = True
            self.outcome.can_sign = False

    def _on_save_anyway(self, _: object) -> None:
        retry, self._retry = self._retry, None
        if retry is not None:
            retry()

    def _clear_errors(self) -> None:
        self.banner.clear()
        for form in (self.details, self.plan, self.outcome):
            form.errors.clear()
        self.details.tp_errors.clear()

    def _after_save(self, event_id: int, step: Step, message: str) -> None:
        self.open(event_id, step)
        self.banner.show("success", message)
        self.saved = True

    # -- step 1 --------------------------------------------------------------------------------
    def _save_details(self, go_next: bool, allow_overlap: bool = False) -> None:
        self._clear_errors()
        rec = self.record
        try:
            draft = self.details.details()
            if rec is None:
                repeat = self.details.recurrence()
                ids = self.practice.create_event(self.actor, draft, repeat=repeat,
                                                 allow_overlap=allow_overlap)
                event_id = ids[0]
                message = "Saved." if len(ids) == 1 else f"Saved {len(ids)} sessions in the series."
            else:
                event_id = rec.id
                self._update_existing(rec, draft, allow_overlap)
                message = "Details saved."
        except PracticeError as exc:
            self._refused(exc, self.details.errors,
                          lambda: self._save_details(go_next, allow_overlap=True))
            return
        step = Step.PLAN if go_next and draft.kind.is_client_event else Step.DETAILS
        self._after_save(event_id, step, message)

    def _update_existing(self, rec: EventRecord, draft: EventDetails, allow_overlap: bool) -> None:
        zone = self.practice.db.zone
        old_start, old_end = to_local(rec.start, zone), to_local(rec.end, zone)
        moved = (draft.start, draft.end) != (old_start, old_end)
        if rec.series_id is not None and moved and self.details.scope.value == "following":
            version = rec.version
            if not _same_details(draft, rec):
                version = self.practice.update_details(
                    self.actor, rec.id, version, replace(draft, start=old_start, end=old_end),
                    allow_overlap=allow_overlap)
            self.practice.reschedule(self.actor, rec.id, version, draft.start, draft.end,
                                     scope="following", allow_overlap=allow_overlap)
            return
        self.practice.update_details(self.actor, rec.id, rec.version, draft,
                                     allow_overlap=allow_overlap)

    def _on_cancel_event(self, _: object) -> None:
        self.cancel_scope.visible = self.record is not None and self.record.series_id is not None
        self.cancel_scope.value = "this"
        # A client event needs a reason; a meeting or an admin block may go without one.
        self.cancel_reason.offer(self.practice)
        self.cancel_reason.visible = self.record is not None and self.record.is_client_event
        self._cancel_row.visible = True

    def _on_confirm_cancel(self, _: object) -> None:
        rec = self.record
        if rec is None:
            return
        self._clear_errors()
        try:
            ids = self.practice.cancel(self.actor, rec.id, rec.version,
                                       scope=self.cancel_scope.value,
                                       reason=self.cancel_reason.reason)
        except PracticeError as exc:
            field, message = split_refusal(exc)
            if field in ("reason", "reason_text"):
                # Keep the dialog open with the question answered wrongly marked.
                self.cancel_reason.show_error(message[:1].upper() + message[1:] + ".")
                self.banner.show("error", "Choose why the event is cancelled.",
                                 title="Not cancelled.")
                return
            self._cancel_row.visible = False
            self._refused(exc, self.details.errors, lambda: None)
            return
        self._show_nothing()
        self.banner.show("success", "Event cancelled." if len(ids) == 1
                         else f"{len(ids)} events cancelled.")
        self.saved = True

    # -- step 2 --------------------------------------------------------------------------------
    def _save_plan(self, go_next: bool) -> None:
        rec = self.record
        if rec is None:
            return
        self._clear_errors()
        values = self.plan.changes()
        try:
            self.practice.save_plan(self.actor, rec.id, rec.version, values["plan_text"],
                                    previous_homework=values["previous_homework"],
                                    previous_note=values["previous_note"])
        except PracticeError as exc:
            self._refused(exc, self.plan.errors, lambda: None)
            return
        self._after_save(rec.id, Step.OUTCOME if go_next else Step.PLAN, "Plan saved.")

    # -- step 3 --------------------------------------------------------------------------------
    def _save_outcome(self) -> None:
        rec = self.record
        if rec is None:
            return
        self._clear_errors()
        try:
            change = self.outcome.changes(rec)
            if change.empty:
                self.banner.show("info", "Nothing has changed since the last save.")
                return
            version = self.practice.save_outcome(self.actor, rec.id, rec.version, change)
        except PracticeError as exc:
            self._refused(exc, self.outcome.errors, lambda: None)
            return
        if version == rec.version:  # the rules found nothing to change
            self.banner.show("info", "Nothing has changed since the last save.")
            return
        signed = rec.signed_at is not None
        self._after_save(rec.id, Step.OUTCOME, "Amendment saved; the previous values are kept "
                         "in the history." if signed else "Outcome saved.")

    def _on_sign(self, _: object) -> None:
        self._clear_errors()
        self._go(Step.OUTCOME)  # the warning and what is signed are on the Outcome step
        self.outcome.show_sign_warning()

    def _on_confirm_sign(self, _: object) -> None:
        """Save what changed on the outcome step and sign, in one use case: a refused
        signature saves nothing, and the form keeps what the clinician typed."""
        rec = self.record
        if rec is None:
            return
        self.outcome.hide_sign_warning()
        self._clear_errors()
        try:
            self.practice.save_and_sign(self.actor, rec.id, rec.version,
                                        self.outcome.changes(rec))
        except PracticeError as exc:
            field, message = split_refusal(exc)
            if isinstance(exc, ConflictError) or field != "signature":
                self._refused(exc, self.outcome.errors, lambda: None)
            else:
                self.outcome.errors.show("signature", message)
                self.banner.show("error", "Nothing was saved: the note was not signed.",
                                 title="Not signed.")
            return
        self._after_save(rec.id, Step.OUTCOME, "Signed. Amendments are possible for 24 hours.")

    def _on_comment(self, _: object) -> None:
        rec = self.record
        if rec is None:
            return
        self._clear_errors()
        try:
            self.practice.add_comment(self.actor, rec.id, self.outcome.comment.value or "")
        except PracticeError as exc:
            self._refused(exc, self.outcome.errors, lambda: None)
            return
        self._after_save(rec.id, Step.OUTCOME, "Comment added.")
