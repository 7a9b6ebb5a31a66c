"""Reminders as rows: asked for, moved, cancelled (SQL in ``queries/reminder_*.sql``)."""

from __future__ import annotations

from datetime import datetime

from thera_analytics.domain.details import RecipientKind, ReminderRequest
from thera_analytics.store.database import Cursor
from thera_analytics.store.sql import query


def live_of_event(cur: Cursor, event_id: int) -> list[tuple[int, str, int, str, int, str,
                                                             datetime]]:
    """The event's reminders not cancelled: id, recipient kind, recipient id, channel, lead
    minutes, state, due instant."""
    return [(int(r[0]), r[1], int(r[2]), r[3], int(r[4]), r[5], r[6])
            for r in cur.execute(query("reminder_live_of_event"), [event_id]).fetchall()]


def move(cur: Cursor, reminder_id: int, due_at: datetime) -> None:
    cur.execute(query("reminder_move"), [due_at, reminder_id])


def cancel(cur: Cursor, reminder_id: int) -> None:
    cur.execute(query("reminder_cancel"), [reminder_id])


def cancel_pending_of_event(cur: Cursor, event_id: int) -> None:
    cur.execute(query("reminder_cancel_pending_of_event"), [event_id])


def insert(cur: Cursor, event_id: int, r: ReminderRequest, due_at: datetime) -> None:
    """A new pending reminder."""
    cur.execute(
        query("reminder_insert"),
        [event_id, r.recipient_kind.value,
         r.recipient_id if r.recipient_kind is RecipientKind.CLIENT else None,
         r.recipient_id if r.recipient_kind is RecipientKind.THIRD_PARTY else None,
         r.channel.value, r.lead_minutes, due_at],
    )
