"""Portal notifications as rows (SQL in ``queries/notification_*.sql``)."""

from __future__ import annotations

from datetime import datetime

from thera_analytics.store.database import Cursor
from thera_analytics.store.sql import query


def unread_ids(cur: Cursor, client_id: int) -> list[int]:
    return [int(r[0]) for r in cur.execute(query("notification_unread"), [client_id]).fetchall()]


def read_ids(cur: Cursor, client_id: int) -> set[int]:
    return {int(r[0]) for r in cur.execute(query("notification_read"), [client_id]).fetchall()}


def mark_read(cur: Cursor, notification_id: int, now: datetime) -> None:
    cur.execute(query("notification_mark_read"), [now, notification_id])


def insert(cur: Cursor, reminder_id: int, recipient_kind: str, client_id: int | None,
           third_party_id: int | None, event_id: int, now: datetime, title: str,
           body: str) -> int:
    """A new unread notification; its id."""
    row = cur.execute(query("notification_next_id")).fetchone()
    assert row is not None
    notification_id = int(row[0])
    cur.execute(query("notification_insert"),
                [notification_id, reminder_id, recipient_kind, client_id, third_party_id,
                 event_id, now, title, body])
    return notification_id
