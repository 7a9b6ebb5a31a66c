"""Reading a test practice's event history, and its reports, on either engine."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tests.factories import TestPractice
from thera_analytics.reports.source import ReadOnlyPractice, Source, take_snapshot


def versions(tp: TestPractice, event_id: int) -> list[tuple[Any, ...]]:
    """(version, valid_from, valid_to) of each version of an event, oldest first: valid_to
    is the next version's valid_from (the analysts' view ``event_history_spans``)."""
    return [tuple(r) for r in tp.db.cursor().execute(
        "SELECT version, valid_from, valid_to FROM event_history_spans WHERE event_id = ?"
        " ORDER BY version", [event_id]).fetchall()]


def current_version(tp: TestPractice, event_id: int) -> dict[str, Any]:
    """The current version of an event (the last: no version follows it) as a dict, with its
    clients' attendance (their open rows)."""
    cur = tp.db.cursor()
    cur.execute("SELECT * FROM event_history_spans WHERE event_id = ? AND valid_to IS NULL",
                [event_id])
    row = cur.fetchone()
    assert row is not None, f"event {event_id} has no current version"
    names = [d[0] for d in cur.description]
    found = dict(zip(names, row, strict=True))
    found["clients"] = {int(c): a for c, a in cur.execute(
        "SELECT client_id, attendance FROM event_client_history WHERE event_id = ?"
        " AND valid_to IS NULL", [event_id]).fetchall()}
    return found


def client_rows(tp: TestPractice, event_id: int) -> list[tuple[Any, ...]]:
    """(version, client_id, attendance, valid_from, valid_to) of each client row of an event."""
    return [tuple(r) for r in tp.db.cursor().execute(
        "SELECT version, client_id, attendance, valid_from, valid_to FROM event_client_history"
        " WHERE event_id = ? ORDER BY valid_from, version, client_id", [event_id]).fetchall()]


def first_visits(tp: TestPractice) -> list[tuple[Any, ...]]:
    """(client_id, valid_from, valid_to, event_id) of every first visit kept, oldest first."""
    return [tuple(r) for r in tp.db.cursor().execute(
        "SELECT client_id, valid_from, valid_to, event_id FROM first_visit_history"
        " ORDER BY client_id, valid_from").fetchall()]


def rows_now(tp: TestPractice, event_id: int) -> dict[str, Any]:
    """What the tables hold for an event, in the history's column names."""
    cur = tp.db.cursor()
    row = cur.execute(
        "SELECT e.version, e.kind, e.clinician_id, e.service_id, e.direct, e.series_id,"
        " e.starts_at, e.ends_at, e.duration_minutes, e.local_start, e.local_date,"
        " e.week_start, e.month_key, e.weekday, e.cancelled_at, p.saved_at, o.status,"
        " o.signed_at, o.signed_by, e.dot_details, e.dot_plan, e.dot_outcome, e.completed_at,"
        " e.updated_by FROM events e"
        " LEFT JOIN plans p ON p.event_id = e.id LEFT JOIN outcomes o ON o.event_id = e.id"
        " WHERE e.id = ?", [event_id]).fetchone()
    assert row is not None
    keys = ("version", "kind", "clinician_id", "service_id", "direct", "series_id",
            "starts_at", "ends_at", "duration_minutes", "local_start", "local_date",
            "week_start", "month_key", "weekday", "cancelled_at", "plan_saved_at", "status",
            "signed_at", "signed_by", "dot_details", "dot_plan", "dot_outcome", "completed_at",
            "changed_by")
    found = dict(zip(keys, row, strict=True))
    found["clients"] = {int(c): a for c, a in cur.execute(
        "SELECT client_id, attendance FROM event_clients WHERE event_id = ?",
        [event_id]).fetchall()}
    return found


def history_matches_rows(tp: TestPractice, event_id: int) -> bool:
    kept = current_version(tp, event_id)
    now = rows_now(tp, event_id)
    return {k: kept[k] for k in now} == now


@contextmanager
def reading(tp: TestPractice, folder: Path) -> Iterator[Source]:
    """The practice as reports read it: the DuckDB practice itself, or a DuckDB copy of the
    PostgreSQL one taken now (reports run in DuckDB)."""
    if tp.db.engine == "duckdb":
        yield tp.db
        return
    folder.mkdir(parents=True, exist_ok=True)
    index = len(list(folder.glob("copy-*.duckdb")))
    info = take_snapshot(tp.db, folder / f"copy-{index}.duckdb")
    copy = ReadOnlyPractice(info.path)
    try:
        yield copy
    finally:
        copy.close()
