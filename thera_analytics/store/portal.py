"""What a client reads in the portal, as rows (SQL in ``queries/portal_*.sql``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from thera_analytics.store.calendar import named_rows
from thera_analytics.store.database import Database


def upcoming_sessions(db: Database, client_id: int, now: datetime,
                      limit: int) -> list[dict[str, Any]]:
    return named_rows(db, "portal_upcoming_sessions", [client_id, now, limit])


def shared_homework(db: Database, client_id: int) -> list[dict[str, Any]]:
    return named_rows(db, "portal_shared_homework", [client_id])


def notifications(db: Database, client_id: int, limit: int) -> list[dict[str, Any]]:
    return named_rows(db, "portal_notifications", [client_id, limit])
