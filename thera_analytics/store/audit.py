"""The append-only audit log (SQL in ``queries/audit_*.sql``)."""

from __future__ import annotations

from datetime import datetime

from thera_analytics.store.database import Cursor
from thera_analytics.store.sql import query


def append(cur: Cursor, now: datetime, user_id: int | None, action: str, entity: str,
           entity_id: int | None, before: str | None, after: str | None) -> None:
    """Append one row inside the caller's transaction."""
    cur.execute(query("audit_append"), [now, user_id, action, entity, entity_id, before, after])
