"""Reminders as rows: asked for, moved, cancelled (SQL in ``queries/reminder_*.sql``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pandas as pd

from thera_analytics.domain.details import RecipientKind, ReminderRequest
from thera_analytics.store.database import Cursor, Database
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


def settle(cur: Cursor, reminder_id: int, state: str, reason: str) -> None:
    """Close a reminder without sending it (``cancelled`` or ``failed``)."""
    cur.execute(query("reminder_settle"), [state, reason, reminder_id])


def sent_now(cur: Cursor, reminder_id: int, now: datetime) -> None:
    """A reminder delivered in the same transaction that picked it (no claim)."""
    cur.execute(query("reminder_sent_now"), [now, reminder_id])


def sent_claimed(cur: Cursor, reminder_id: int, now: datetime) -> None:
    cur.execute(query("reminder_sent_claimed"), [now, reminder_id])


def attempts(cur: Cursor, reminder_id: int) -> int | None:
    row = cur.execute(query("reminder_attempts"), [reminder_id]).fetchone()
    return None if row is None else int(row[0])


def after_failure(cur: Cursor, reminder_id: int, state: str, error: str,
                  retry_at: datetime | None) -> None:
    cur.execute(query("reminder_after_failure"), [state, error, retry_at, reminder_id])


def pending_count(cur: Cursor, now: datetime) -> int:
    row = cur.execute(query("reminder_pending_count"), [now, now]).fetchone()
    return int(row[0]) if row else 0


# -- sending -------------------------------------------------------------------------------------
def facts(cur: Cursor, reminder_id: int) -> dict[str, Any] | None:
    """Everything sending one reminder needs to know, keyed by column, or None."""
    result = cur.execute(query("reminder_facts"), [reminder_id])
    names = [d[0] for d in result.description or []]
    raw = result.fetchone()
    return None if raw is None else dict(zip(names, raw, strict=True))


def due(cur: Cursor, now: datetime, channels: list[str], batch: int) -> list[tuple[int, str]]:
    """(id, channel) of up to ``batch`` pending reminders due at ``now`` on these channels."""
    return [(int(r[0]), r[1])
            for r in cur.execute(query("reminder_due"), [now, now, channels, batch]).fetchall()]


def sent_twin(cur: Cursor, reminder_id: int) -> int | None:
    """The id of a reminder already sent with the same message to the same person, or None."""
    row = cur.execute(query("reminder_sent_twin"), [reminder_id, reminder_id]).fetchone()
    return None if not row or row[0] is None else int(row[0])


def claim(db: Database, cur: Cursor, now: datetime, reminder_id: int) -> bool:
    """Take the reminder for sending; False when another process holds or settled it."""
    changed = cur.execute(db.query("reminder_claim"), [now, reminder_id]).fetchone()
    return changed is not None and changed[0] == 1


def abandoned(cur: Cursor, cutoff: datetime) -> list[tuple[int, datetime, int]]:
    """(id, claimed at, attempts) of claims older than ``cutoff`` never settled."""
    return [(int(r[0]), r[1], int(r[2]))
            for r in cur.execute(query("reminder_abandoned"), [cutoff]).fetchall()]


def queue(db: Database, state: str | None, event_id: int | None) -> pd.DataFrame:
    """The reminder queue, newest due first; one state and/or one event's when given."""
    return db.named("reminder_queue", [state, state, event_id, event_id])
