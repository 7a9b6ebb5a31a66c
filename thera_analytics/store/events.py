"""Events as rows: their versions, times, clients, team and third parties (SQL in
``queries/event_*.sql``)."""

from __future__ import annotations

from datetime import datetime

from thera_analytics.domain.dots import Completion
from thera_analytics.domain.errors import ConflictError
from thera_analytics.store.database import Cursor
from thera_analytics.store.sql import query


def bump_version(cur: Cursor, event_id: int, version: int, user_id: int | None, now: datetime,
                 completion: Completion) -> int:
    """Advance the event's version and keep its dots and completion instant; a concurrent
    writer (the version is no longer ``version``) makes this fail as a conflict."""
    dots = completion.dots
    changed = cur.execute(
        query("event_bump_version"),
        [now, user_id, dots.details, dots.plan, dots.outcome, completion.completed_at,
         event_id, version],
    ).fetchone()
    if not changed or changed[0] != 1:
        actual = cur.execute(query("event_version"), [event_id]).fetchone()
        raise ConflictError(event_id, version, int(actual[0]) if actual else -1)
    return version + 1

