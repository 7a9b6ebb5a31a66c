"""Reading one event's whole record, for someone allowed to read it."""

from __future__ import annotations

from thera_analytics.domain.actor import Actor
from thera_analytics.domain.errors import PermissionDenied
from thera_analytics.domain.permissions import can_read
from thera_analytics.domain.record import EventRecord
from thera_analytics.store import records as stored
from thera_analytics.store.database import Cursor

load_state = stored.load_state


def load(cur: Cursor, event_id: int, actor: Actor | None = None) -> EventRecord:
    """The whole record of one event; ``actor`` (if given) must be allowed to read it."""
    record = stored.load(cur, event_id)
    if actor is not None and not can_read(actor, record.clinician_id, record.team_member_ids):
        raise PermissionDenied(f"event: you cannot open event {event_id}")
    return record
