"""Step 2 use case: save the plan, with previous homework and note pre-filled."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from thera_analytics.domain.actor import Actor
from thera_analytics.domain.details import clean_text
from thera_analytics.domain.errors import ValidationError
from thera_analytics.domain.record import EventRecord
from thera_analytics.domain.signing import check_can_change
from thera_analytics.service import audit
from thera_analytics.service.amending import record_amendment
from thera_analytics.service.guard import bump_version, load_for_change
from thera_analytics.store import history
from thera_analytics.store import records as stored
from thera_analytics.store.database import Cursor, Database


@dataclass(frozen=True)
class PlanPrefill:
    previous_homework: str
    previous_note: str
    from_event_id: int | None


def prefill(cur: Cursor, rec: EventRecord) -> PlanPrefill:
    """Homework and note of the clinician's most recent earlier session with exactly these
    clients (never one client's individual session for a couple, nor the reverse)."""
    if not rec.client_ids:
        return PlanPrefill("", "", None)
    clients = sorted(set(rec.client_ids))
    row = stored.plan_prefill(cur, rec.clinician_id, rec.start, rec.id, clients)
    if row is None:
        return PlanPrefill("", "", None)
    return PlanPrefill(row[1] or "", row[2] or "", int(row[0]))


def save_plan(db: Database, actor: Actor, event_id: int, version: int, plan_text: str,
              now: datetime, *, previous_homework: str | None = None,
              previous_note: str | None = None) -> int:
    """Save step 2; unspecified previous homework/note are pre-filled. Returns the new version."""
    plan_text = clean_text(plan_text, "plan")
    with db.transaction() as cur:
        rec = load_for_change(cur, actor, event_id, version, "plan")
        if not rec.is_client_event:
            raise ValidationError("plan", f"a {rec.kind.label} event has no plan step")
        check_can_change(rec.signed_at, now, "plan")
        if previous_homework is None or previous_note is None:
            filled = prefill(cur, rec)
            if previous_homework is None:
                previous_homework = rec.previous_homework or filled.previous_homework
            if previous_note is None:
                previous_note = rec.previous_note or filled.previous_note
        previous_homework = clean_text(previous_homework, "previous_homework")
        previous_note = clean_text(previous_note, "previous_note")
        new = {"plan_text": plan_text, "previous_homework": previous_homework,
               "previous_note": previous_note}
        old = {"plan_text": rec.plan_text, "previous_homework": rec.previous_homework,
               "previous_note": rec.previous_note}
        if rec.signed_at is not None:
            for key, value in new.items():
                if old[key] != value:
                    record_amendment(cur, actor, now, event_id, key, old[key], value)
        stored.save_plan(cur, event_id, plan_text, previous_homework, previous_note, now,
                         actor.user_id)
        saved = replace(rec, plan_text=plan_text, plan_saved_at=now)
        completion = saved.completion
        new_version = bump_version(cur, event_id, version, actor, now, completion)
        history.record_known(cur, saved, new_version, now, completion, actor.user_id)
        audit.record(cur, actor, now, "save_plan", "event", event_id,
                     old if rec.plan_saved_at else None, new)
    return new_version
