"""Events as rows: their versions, times, clients, team and third parties (SQL in
``queries/event_*.sql``)."""

from __future__ import annotations

from datetime import datetime

from thera_analytics.domain.details import EventDetails
from thera_analytics.domain.dots import Completion
from thera_analytics.domain.errors import ConflictError
from thera_analytics.domain.local_time import LocalKeys
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


def overlap_candidates(cur: Cursor, clinician_id: int, lo: datetime,
                       hi: datetime) -> list[tuple[int, str, str, datetime, datetime]]:
    """The clinician's live events between ``lo`` and ``hi``: id, kind, title, start, end."""
    return [(int(r[0]), r[1], r[2], r[3], r[4]) for r in cur.execute(
        query("event_overlap_candidates"), [clinician_id, hi, lo]).fetchall()]


def active_clinician(cur: Cursor, clinician_id: int) -> bool:
    return cur.execute(query("event_active_clinician"), [clinician_id]).fetchone() is not None


def active_service(cur: Cursor, service_id: int) -> bool:
    return cur.execute(query("event_active_service"), [service_id]).fetchone() is not None


_KNOWN = {"clients": "event_known_clients", "clinicians": "event_known_clinicians",
          "third_parties": "event_known_third_parties"}


def known_ids(cur: Cursor, table: str, ids: tuple[int, ...]) -> set[int]:
    """Which of ``ids`` name a row of ``table`` (clients, clinicians or third parties)."""
    return {int(r[0]) for r in cur.execute(query(_KNOWN[table]), [list(ids)]).fetchall()}


def insert(cur: Cursor, d: EventDetails, keys: LocalKeys, now: datetime, user_id: int | None,
           series_id: int | None, series_index: int | None) -> int:
    """A new event row at version 1 (its people are written by ``write_people``); its id."""
    row = cur.execute(query("event_next_id")).fetchone()
    assert row is not None
    event_id = int(row[0])
    cur.execute(
        query("event_insert"),
        [event_id, d.kind.value, d.clinician_id, d.title, d.start, d.end,
         int((d.end - d.start).total_seconds() // 60), keys.local_start, keys.local_date,
         keys.week_start, keys.month_key, keys.weekday, d.service_id, d.direct, d.video_link,
         series_id, series_index, now, user_id, now, user_id,
         d.kind.is_client_event and d.service_id is not None and bool(d.client_ids)],
    )
    return event_id


def insert_series(cur: Cursor, clinician_id: int, interval_weeks: int, now: datetime) -> int:
    """A new series; its id."""
    row = cur.execute(query("event_next_series_id")).fetchone()
    assert row is not None
    series_id = int(row[0])
    cur.execute(query("event_insert_series"), [series_id, clinician_id, interval_weeks, now])
    return series_id


def update_details(cur: Cursor, event_id: int, d: EventDetails, keys: LocalKeys) -> None:
    cur.execute(
        query("event_update_details"),
        [d.kind.value, d.title, d.start, d.end, int((d.end - d.start).total_seconds() // 60),
         keys.local_start, keys.local_date, keys.week_start, keys.month_key, keys.weekday,
         d.service_id, d.direct, d.video_link, event_id],
    )


def move(cur: Cursor, event_id: int, start: datetime, end: datetime, keys: LocalKeys) -> None:
    cur.execute(
        query("event_move"),
        [start, end, int((end - start).total_seconds() // 60), keys.local_start,
         keys.local_date, keys.week_start, keys.month_key, keys.weekday, event_id],
    )


def cancel(cur: Cursor, event_id: int, now: datetime) -> None:
    cur.execute(query("event_cancel"), [now, event_id])


def series_from(cur: Cursor, series_id: int, start: datetime) -> list[int]:
    """The live events of a series starting at ``start`` or later, in time order."""
    return [int(r[0]) for r in cur.execute(query("event_series_from"),
                                           [series_id, start]).fetchall()]


def write_people(cur: Cursor, event_id: int, d: EventDetails) -> None:
    """(Re)write the event's clients, team and third parties; clients who stay keep their
    attendance marks."""
    current = {int(r[0]) for r in cur.execute(query("event_client_ids"), [event_id]).fetchall()}
    for gone in current - set(d.client_ids):
        cur.execute(query("event_remove_client"), [event_id, gone])
    for client_id in d.client_ids:
        if client_id not in current:
            cur.execute(query("event_add_client"), [event_id, client_id])
    cur.execute(query("event_clear_team"), [event_id])
    for cid in d.team_member_ids:
        cur.execute(query("event_add_team_member"), [event_id, cid])
    cur.execute(query("event_clear_third_parties"), [event_id])
    for tid in d.third_party_ids:
        cur.execute(query("event_add_third_party"), [event_id, tid])
