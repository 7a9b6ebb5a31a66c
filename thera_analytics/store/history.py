"""The event history: every version of every event, from the instant it became valid.

Each use case that changes an event calls ``record`` in its transaction once the event's rows
hold the new state: the new version is written, valid from ``now``, copied from the rows
(event, plan, outcome, clients); a plan save or a signature, which hold every column already,
write it from what they hold (``record_known``). A version holds until the next one begins
(versions are numbered consecutively, one per change; migration 013), so writing one updates
nothing. A client row holds from the version that wrote it until a change to the event's
clients (or to the start or liveness it repeats) closes it, so a change that leaves them alone
writes none. Reports "as of" a past instant read these versions instead of the rows
(``reports.source``). Rows loaded in bulk get one version each (``fill_from_rows``); migration
008 rebuilds the history of existing events (``rebuild``).
"""

from __future__ import annotations

import heapq
import json
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime
from itertools import groupby
from typing import Any
from zoneinfo import ZoneInfo

import duckdb
import pandas as pd

from thera_analytics.domain.attendance import Attendance, SessionStatus
from thera_analytics.domain.dots import Completion, completion_of
from thera_analytics.domain.kinds import EventKind
from thera_analytics.domain.local_time import LocalKeys, practice_zone
from thera_analytics.domain.record import EventRecord
from thera_analytics.store.bulk import bulk_insert
from thera_analytics.store.sql import query

Cursor = duckdb.DuckDBPyConnection


def record(cur: Cursor, event_id: int, now: datetime, *, clients: bool = True) -> None:
    """Write the event's state as its rows now hold it as a new version valid from ``now``
    (the version before it holds until then).

    ``clients=False`` says the change left the event's clients as they were (their attendance,
    and the event's start, kind and cancellation the client rows repeat): their rows then stay
    open across the new version. Otherwise the client rows are closed and written again, and
    the first visit of each of its clients (``first_visit_history``) is moved if the change
    moved it.
    """
    cur.execute(query("history_open"), [now, event_id])
    if clients:
        cur.execute(query("history_close_clients"), [now, event_id])
        cur.execute(query("history_open_clients"), [now, event_id])
        # The change may have moved the first visit of its clients (old and new).
        for step in ("first_visit_drop", "first_visit_close", "first_visit_open"):
            cur.execute(query(step), [now, event_id])


def record_known(cur: Cursor, rec: EventRecord, version: int, now: datetime,
                 completion: Completion, changed_by: int | None) -> None:
    """``record`` for a change that leaves the event's clients alone and whose use case holds
    the whole new state: ``rec`` as the change leaves it (its plan, outcome and signature),
    ``version`` and ``completion`` as ``bump_version`` wrote them. One statement that reads
    nothing (a plan save or a signature on DuckDB: 1.5-2 ms a statement)."""
    keys = LocalKeys.at_local(rec.local_start)
    dots = completion.dots
    cur.execute(query("history_open_known"), [
        rec.id, version, now, rec.kind.value, rec.clinician_id, rec.service_id, rec.direct,
        rec.series_id, rec.start, rec.end, int((rec.end - rec.start).total_seconds() // 60),
        keys.local_start, keys.local_date, keys.week_start, keys.month_key, keys.weekday,
        rec.cancelled_at, rec.plan_saved_at, rec.status.value if rec.status else None,
        rec.signed_at, rec.signer_id, dots.details, dots.plan, dots.outcome,
        completion.completed_at, changed_by])


def fill_from_rows(cur: Cursor) -> None:
    """One version, valid from its creation, for every event without any (bulk loads)."""
    cur.execute(query("history_from_rows"))
    cur.execute(query("history_from_rows_clients"))


def rebuild_first_visits(cur: Cursor, *, sweep: bool = False) -> int:
    """Fill ``first_visit_history`` from the event history (migration 010, bulk loads): for each
    client, their first live client event over time, worked out from their client rows' validity.
    While no client row has closed, one set-based statement does it; otherwise (or with
    ``sweep``) each client's rows are swept in Python. Returns the rows written."""
    cur.execute("DELETE FROM first_visit_history")
    closed = cur.execute("SELECT count(*) FROM (SELECT 1 FROM event_client_history"
                         " WHERE valid_to IS NOT NULL LIMIT 1) AS x").fetchone()
    if not sweep and closed is not None and not closed[0]:
        cur.execute(query("first_visits_from_open_rows"))
        written = cur.execute("SELECT count(*) FROM first_visit_history").fetchone()
        return int(written[0]) if written else 0
    rows = cur.execute(
        "SELECT client_id, valid_from, valid_to, starts_at, event_id FROM event_client_history"
        " WHERE live ORDER BY client_id").fetchall()
    out: dict[str, list[Any]] = {"client_id": [], "valid_from": [], "valid_to": [],
                                 "event_id": []}
    for client_id, group in groupby(rows, key=lambda r: r[0]):
        for valid_from, valid_to, event_id in _first_visits(list(group)):
            out["client_id"].append(client_id)
            out["valid_from"].append(valid_from)
            out["valid_to"].append(valid_to)
            out["event_id"].append(event_id)
    if not out["client_id"]:
        return 0
    if isinstance(cur, duckdb.DuckDBPyConnection):  # one set-based insert from a frame
        return bulk_insert(cur, "first_visit_history", pd.DataFrame({
            "client_id": pd.array(out["client_id"], dtype="Int32"),
            "valid_from": pd.to_datetime(pd.Series(out["valid_from"], dtype=object), utc=True),
            "valid_to": pd.to_datetime(pd.Series(out["valid_to"], dtype=object), utc=True),
            "event_id": pd.array(out["event_id"], dtype="Int64")}))
    cur.executemany(
        "INSERT INTO first_visit_history (client_id, valid_from, valid_to, event_id)"
        " VALUES (?, ?, ?, ?)", list(zip(*out.values(), strict=True)))
    return len(out["client_id"])


def _first_visits(rows: list[tuple[Any, ...]]) -> Iterator[tuple[Any, Any, int]]:
    """(valid_from, valid_to, event id) of one client's first visit over time, from their live
    client rows (client, valid_from, valid_to, starts_at, event id): a sweep over the instants
    a row begins or ends, keeping the rows valid then in a heap by (start, event id)."""
    starts = sorted(range(len(rows)), key=lambda i: rows[i][1])
    instants = sorted({r[1] for r in rows} | {r[2] for r in rows if r[2] is not None})
    heap: list[tuple[Any, int, int]] = []
    nxt = 0
    current: tuple[Any, int] | None = None  # (since, event id)
    for at in instants:
        while nxt < len(starts) and rows[starts[nxt]][1] <= at:
            row = rows[starts[nxt]]
            heapq.heappush(heap, (row[3], int(row[4]), starts[nxt]))
            nxt += 1
        while heap and rows[heap[0][2]][2] is not None and rows[heap[0][2]][2] <= at:
            heapq.heappop(heap)  # that row had ended by now
        first = heap[0][1] if heap else None
        if current is not None and current[1] != first:
            yield current[0], at, current[1]
            current = None
        if current is None and first is not None:
            current = (at, first)
    if current is not None:
        yield current[0], None, current[1]


# -- rebuilding from the audit log (migration 008) -------------------------------------------
# The actions the scheduling, planning and outcome use cases audit, each one version.
_REPLAYED = {"create_event", "update_details", "reschedule", "cancel", "save_plan",
             "save_outcome", "amend_outcome", "sign"}


@dataclass(frozen=True)
class _State:
    kind: EventKind
    clinician_id: int
    start: datetime
    end: datetime
    service_id: int | None
    direct: bool | None
    series_id: int | None
    clients: dict[int, Attendance | None] = field(default_factory=dict)
    cancelled_at: datetime | None = None
    plan_saved_at: datetime | None = None
    status: SessionStatus | None = None
    signed_at: datetime | None = None
    signed_by: int | None = None


def rebuild(cur: Cursor) -> tuple[int, int]:
    """Fill the history of the events that exist: replayed from the audit log for each event
    whose audit rows account for every version and end in its current rows, else one version
    from its rows. Returns (events replayed, events from their rows)."""
    zone_row = cur.execute("SELECT time_zone FROM practice WHERE id = 1").fetchone()
    replayed = 0
    if zone_row is not None:
        zone = practice_zone(zone_row[0])
        trails: dict[int, list[tuple[Any, ...]]] = {}
        for row in cur.execute(
            "SELECT entity_id, logged_at, user_id, action, before, after FROM audit_log"
            " WHERE entity = 'event' ORDER BY entity_id, id"
        ).fetchall():
            trails.setdefault(int(row[0]), []).append(row[1:])
        for event_id, trail in trails.items():
            if _replay(cur, event_id, trail, zone):
                replayed += 1
    before = cur.execute("SELECT count(DISTINCT event_id) FROM event_history").fetchone()
    fill_from_rows(cur)
    after = cur.execute("SELECT count(DISTINCT event_id) FROM event_history").fetchone()
    assert before is not None and after is not None
    return replayed, int(after[0]) - int(before[0])


def _replay(cur: Cursor, event_id: int, trail: list[tuple[Any, ...]], zone: ZoneInfo) -> bool:
    current = cur.execute(
        "SELECT e.version, e.series_id, e.completed_at FROM events e WHERE e.id = ?",
        [event_id]).fetchone()
    if current is None or len(trail) != int(current[0]) or trail[0][2] != "create_event":
        return False
    if any(action not in _REPLAYED for _, _, action, _, _ in trail):
        return False
    versions: list[tuple[datetime, int | None, _State]] = []
    state: _State | None = None
    try:
        for logged_at, user_id, action, before, after in trail:
            state = _apply(state, action, _json(before), _json(after), logged_at, user_id,
                           current[1])
            versions.append((logged_at, user_id, state))
    except (KeyError, TypeError, ValueError):
        return False  # a row this replay does not understand: the event keeps its rows
    assert state is not None
    if _state_of_rows(cur, event_id, current[1]) != state:
        return False
    rows = []
    client_rows = []
    for version, (valid_from, user_id, s) in enumerate(versions, start=1):
        valid_to = versions[version][0] if version < len(versions) else None
        keys = LocalKeys.of(s.start, zone)
        done = (completion_of(
            details_valid=s.service_id is not None and bool(s.clients),
            plan_saved_at=s.plan_saved_at, direct=bool(s.direct),
            attendance=list(s.clients.values()), status=s.status, signed_at=s.signed_at)
            if s.kind.is_client_event else None)
        rows.append([
            event_id, version, valid_from, s.kind.value, s.clinician_id, s.service_id,
            s.direct, s.series_id, s.start, s.end, int((s.end - s.start).total_seconds() // 60),
            keys.local_start, keys.local_date, keys.week_start, keys.month_key, keys.weekday,
            s.cancelled_at, s.plan_saved_at, s.status.value if s.status else None, s.signed_at,
            s.signed_by, bool(done and done.dots.details), bool(done and done.dots.plan),
            bool(done and done.dots.outcome), done.completed_at if done else None, user_id])
        live = s.kind.is_client_event and s.cancelled_at is None
        client_rows += [[event_id, version, c, a.value if a else None, valid_from, valid_to,
                         s.start, live] for c, a in s.clients.items()]
    if rows[-1][24] != current[2]:
        return False  # the stored completion instant disagrees: keep the rows' word
    cur.executemany(
        query("history_open_known"), rows)
    if client_rows:
        cur.executemany("INSERT INTO event_client_history (event_id, version, client_id,"
                        " attendance, valid_from, valid_to, starts_at, live)"
                        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", client_rows)
    return True


def _apply(state: _State | None, action: str, before: Any, after: Any, at: datetime,
           user_id: int | None, series_id: int | None) -> _State:
    if action == "create_event":
        return _State(
            kind=EventKind(after["kind"]), clinician_id=int(after["clinician_id"]),
            start=_instant(after["start"]), end=_instant(after["end"]),
            service_id=after["service_id"], direct=after["direct"], series_id=series_id,
            clients=dict.fromkeys((int(c) for c in after["client_ids"]), None))
    if state is None:
        raise ValueError("the trail does not start with the event's creation")
    if action == "update_details":
        kept = {int(c): state.clients.get(int(c)) for c in after["client_ids"]}
        return replace(state, kind=EventKind(after["kind"]), start=_instant(after["start"]),
                       end=_instant(after["end"]), service_id=after["service_id"],
                       direct=after["direct"], clients=kept)
    if action == "reschedule":
        return replace(state, start=_instant(after["start"]), end=_instant(after["end"]))
    if action == "cancel":
        return replace(state, cancelled_at=_instant(after["cancelled_at"]))
    if action == "save_plan":
        return replace(state, plan_saved_at=at)
    if action == "sign":
        return replace(state, signed_at=_instant(after["signed_at"]), signed_by=user_id)
    clients = dict(state.clients)
    status = state.status
    for key, value in after.items():
        if key.startswith("attendance["):
            clients[int(key[len("attendance["):-1])] = Attendance(value) if value else None
        elif key == "status":
            status = SessionStatus(value) if value else None
    return replace(state, clients=clients, status=status)


def _state_of_rows(cur: Cursor, event_id: int, series_id: int | None) -> _State:
    row = cur.execute(
        "SELECT e.kind, e.clinician_id, e.starts_at, e.ends_at, e.service_id, e.direct,"
        " e.cancelled_at, p.saved_at, o.status, o.signed_at, o.signed_by FROM events e"
        " LEFT JOIN plans p ON p.event_id = e.id LEFT JOIN outcomes o ON o.event_id = e.id"
        " WHERE e.id = ?", [event_id]).fetchone()
    assert row is not None
    clients = {int(c): Attendance(a) if a else None for c, a in cur.execute(
        "SELECT client_id, attendance FROM event_clients WHERE event_id = ?",
        [event_id]).fetchall()}
    return _State(
        kind=EventKind(row[0]), clinician_id=int(row[1]), start=_instant(row[2]),
        end=_instant(row[3]), service_id=row[4], direct=row[5], series_id=series_id,
        clients=clients, cancelled_at=_maybe(row[6]), plan_saved_at=_maybe(row[7]),
        status=SessionStatus(row[8]) if row[8] else None, signed_at=_maybe(row[9]),
        signed_by=row[10])


def _json(value: Any) -> Any:
    if value is None or isinstance(value, dict):
        return value
    return json.loads(value)


def _instant(value: Any) -> datetime:
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    if not isinstance(moment, datetime) or moment.tzinfo is None:
        raise ValueError(f"not an instant: {value!r}")
    return moment


def _maybe(value: Any) -> datetime | None:
    return None if value is None else _instant(value)
