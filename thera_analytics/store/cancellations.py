"""Cancellation reasons and the append-only cancellations record (SQL in
``queries/cancellation_*.sql``)."""

from __future__ import annotations

from datetime import datetime

import pandas as pd

from thera_analytics.domain.cancellation import ReasonEntry
from thera_analytics.store.database import Cursor, Database
from thera_analytics.store.sql import query


def reasons(cur: Cursor) -> dict[str, ReasonEntry]:
    """Every reason on the list by code, retired ones included, in list order."""
    rows = cur.execute(query("cancellation_reasons")).fetchall()
    return {r[0]: ReasonEntry(r[0], r[1], bool(r[2]), r[3]) for r in rows}


def reason_table(db: Database) -> pd.DataFrame:
    """code, label, needs_text, position, added_at, retired_at, in list order."""
    return db.df(query("cancellation_reason_list"))


def add_reason(cur: Cursor, code: str, label: str, needs_text: bool, now: datetime,
               user_id: int | None) -> None:
    """A new reason, placed last before "Other"."""
    row = cur.execute(query("cancellation_last_position")).fetchone()
    position = int(row[0]) + 1 if row else 1
    cur.execute(query("cancellation_add_reason"),
                [code, label, needs_text, position, now, user_id])


def retire_reason(cur: Cursor, code: str, now: datetime, user_id: int | None) -> None:
    cur.execute(query("cancellation_retire_reason"), [now, user_id, code])


def append(cur: Cursor, event_id: int, client_id: int | None, kind: str,
           reason_code: str | None, reason_text: str, notice_minutes: int, now: datetime,
           user_id: int | None) -> None:
    """One row of the cancellations record."""
    row = cur.execute(query("cancellation_next_id")).fetchone()
    assert row is not None
    cur.execute(query("cancellation_append"),
                [int(row[0]), event_id, client_id, kind, reason_code, reason_text,
                 notice_minutes, now, user_id])
