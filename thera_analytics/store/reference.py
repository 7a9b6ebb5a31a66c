"""Reference rows written from the domain enums so SQL views never restate a rule."""

from __future__ import annotations

import duckdb

from thera_analytics.domain.attendance import Attendance
from thera_analytics.domain.backlog import AGE_BUCKETS
from thera_analytics.domain.kinds import EventKind


def sync(cur: duckdb.DuckDBPyConnection) -> None:
    """Rewrite the reference tables (inside the caller's transaction)."""
    cur.execute("DELETE FROM event_kinds")
    cur.executemany(
        "INSERT INTO event_kinds VALUES (?, ?, ?, ?)",
        [(k.value, k.label, k.group.value, k.colour_family.value) for k in EventKind],
    )
    cur.execute("DELETE FROM attendance_values")
    cur.executemany(
        "INSERT INTO attendance_values VALUES (?, ?, ?)",
        [(a.value, a.label, a.billable) for a in Attendance],
    )
    cur.execute("DELETE FROM age_buckets")
    cur.executemany(
        "INSERT INTO age_buckets VALUES (?, ?, ?, ?)",
        [(b.label, i, b.min_hours, b.max_hours) for i, b in enumerate(AGE_BUCKETS)],
    )
