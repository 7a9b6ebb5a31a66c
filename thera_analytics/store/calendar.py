"""The week and the calendar feeds as rows (SQL in ``queries/calendar_*.sql``)."""

from __future__ import annotations

from datetime import date
from typing import Any

from thera_analytics.store.database import Database
from thera_analytics.store.sql import query


def week_rows(db: Database, monday: date, clinician_id: int | None) -> list[tuple[Any, ...]]:
    """The local week's events from ``monday``: one clinician's, or all when None."""
    return db.cursor().execute(db.query("calendar_week"),
                               [monday, clinician_id, clinician_id, clinician_id]).fetchall()


def week_clients(db: Database, event_ids: list[int]) -> list[tuple[int, str, str | None]]:
    """(event id, client name, attendance mark or None) for these events, in name order."""
    if not event_ids:
        return []
    return db.cursor().execute(db.query("calendar_week_clients"),
                               [min(event_ids), max(event_ids), event_ids]).fetchall()


def named_rows(db: Database, name: str, params: list[Any]) -> list[dict[str, Any]]:
    """A packaged read query's rows as dicts keyed by column name."""
    result = db.cursor().execute(query(name), params)
    names = [d[0] for d in result.description or []]
    return [dict(zip(names, raw, strict=True)) for raw in result.fetchall()]


def clinician_feed(db: Database, clinician_id: int, window: list[Any]) -> list[dict[str, Any]]:
    """The clinician's events for a calendar feed, within ``window`` (start, end or NULLs)."""
    return named_rows(db, "calendar_feed_clinician", [clinician_id, clinician_id, *window])


def client_feed(db: Database, client_id: int, window: list[Any]) -> list[dict[str, Any]]:
    """The client's sessions for a calendar feed, within ``window``."""
    return named_rows(db, "calendar_feed_client", [client_id, *window])
