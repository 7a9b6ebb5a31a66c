"""Facts kept with the records they are worked out from (migration 005).

Reports and the calendar read ``events.dot_*``/``completed_at`` and ``event_clients.first_visit``
instead of joining plans, outcomes and every visit of a client on each query. The use cases keep
them as they write (``service.guard.bump_version`` for the dots, ``refresh_first_visits`` for
the scheduling use cases); rows written in bulk are filled here.
"""

from __future__ import annotations

from collections.abc import Iterable

import duckdb

from thera_analytics.store.sql import query

Cursor = duckdb.DuckDBPyConnection


def refresh_first_visits(cur: Cursor, client_ids: Iterable[int]) -> None:
    """Mark the first visit of each of these clients again (after their events changed)."""
    ids = sorted({int(c) for c in client_ids})
    if ids:
        cur.execute(query("derive_first_visits"), [ids])


def rederive_completion(cur: Cursor) -> None:
    """Work out every client event's dots and completion instant again (the rule changed)."""
    cur.execute(query("derive_completion"))


def backfill(cur: Cursor) -> None:
    """Work out every derived column from the tables (rows written in bulk)."""
    cur.execute(query("derive_completion"))
    cur.execute(query("derive_first_visits"), [None])
