"""Checks every change to an event shares: who may change it, and is their copy current."""

from __future__ import annotations

from datetime import datetime

from thera_analytics.domain.actor import Actor
from thera_analytics.domain.dots import Completion
from thera_analytics.domain.errors import ConflictError, PermissionDenied, ValidationError
from thera_analytics.domain.permissions import can_change
from thera_analytics.domain.record import EventRecord
from thera_analytics.service import records
from thera_analytics.store import events
from thera_analytics.store.database import Cursor


def check_owner(actor: Actor, clinician_id: int, what: str) -> None:
    """Only the clinician who owns an event changes it; managers and clients read only."""
    if not can_change(actor, clinician_id):
        raise PermissionDenied(f"{what}: only the clinician who owns this event can change it")


def load_for_change(cur: Cursor, actor: Actor, event_id: int, version: int,
                    what: str, *, whole: bool = False) -> EventRecord:
    """Load an event the actor owns, refusing a stale version or a cancelled event.

    Without ``whole`` only what the rules of a plan, outcome or signature need is read
    (``records.load_state``); a change of details or time needs the whole record."""
    record = records.load(cur, event_id) if whole else records.load_state(cur, event_id)
    check_change(actor, record, version, what)
    return record


def check_change(actor: Actor, record: EventRecord, version: int, what: str) -> None:
    """The actor owns the event, their copy is current, and it is not cancelled."""
    check_owner(actor, record.clinician_id, what)
    if record.version != version:
        raise ConflictError(record.id, version, record.version)
    if record.cancelled_at is not None:
        raise ValidationError(what, "this event was cancelled")


def bump_version(cur: Cursor, event_id: int, version: int, actor: Actor, now: datetime,
                 completion: Completion) -> int:
    """Advance the event's version and keep its dots and completion instant (``completion``:
    the record as this change leaves it); a concurrent writer makes this fail as a conflict."""
    return events.bump_version(cur, event_id, version, actor.user_id, now, completion)
