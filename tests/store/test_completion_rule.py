"""The completion rule is written once in SQL (queries/event_dots.sql) and agrees with the
domain's rule (``domain.dots``, as ``EventRecord.completion`` applies it) on every state, on
both engines: the analyst view ``event_status`` and the step that works out the stored dots
(``derive_completion``) both inline that one fragment."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from typing import Any

from thera_analytics.domain.attendance import Attendance, SessionStatus
from thera_analytics.domain.kinds import EventKind
from thera_analytics.domain.record import ClientMark, EventRecord
from thera_analytics.store import Database
from thera_analytics.store.derived import rederive_completion
from thera_analytics.store.sql import migrations, query

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
EARLY, SIGNED, LATE = (NOW + timedelta(minutes=m) for m in (60, 90, 120))
# Every list of client marks of up to two clients, each unmarked or any attendance value.
CLIENT_MARKS = [marks for n in range(3)
                for marks in itertools.product((None, *Attendance), repeat=n)]
# No outcome row, or one with no status or any status, signed or not.
OUTCOMES: list[tuple[SessionStatus | None, bool] | None] = [
    None, *itertools.product((None, *SessionStatus), (False, True))]
# No plan, or one saved before or after the signature (the later one is the completion).
PLANS = (None, EARLY, LATE)


def _records() -> list[tuple[EventRecord, bool]]:
    """Every state a client event's record can be in (and each kind once, complete-looking),
    with whether it is cancelled (every other state)."""
    states = []
    client_states = itertools.product((True, False), (None, 1), CLIENT_MARKS, PLANS, OUTCOMES)
    for n, (direct, service, marks, plan_at, outcome) in enumerate(client_states):
        states.append((_record(len(states) + 1, EventKind.CLIENT_SESSION, direct, service,
                               marks, plan_at, outcome), n % 2 == 1))
    for kind in EventKind:
        states.append((_record(len(states) + 1, kind, True, 1, (Attendance.ATTENDED,), EARLY,
                               (SessionStatus.COMPLETED, True)), False))
    return states


def _record(event_id: int, kind: EventKind, direct: bool, service: int | None,
            marks: tuple[Attendance | None, ...], plan_at: datetime | None,
            outcome: tuple[SessionStatus | None, bool] | None) -> EventRecord:
    status, signed = outcome if outcome else (None, False)
    return EventRecord(
        id=event_id, version=1, kind=kind, clinician_id=1, clinician_name="Ann Archer",
        title="", start=NOW, end=NOW + timedelta(minutes=50), local_start=NOW,
        service_id=service, service_name=None, direct=direct, video_link=None, series_id=None,
        cancelled_at=None,
        clients=tuple(ClientMark(i + 1, "", mark) for i, mark in enumerate(marks)),
        plan_saved_at=plan_at, status=status, signed_at=SIGNED if signed else None,
        # An outcome row with nothing signed and no status still exists: keep it apart.
        note="" if outcome is None else "outcome row",
    )


def _insert_rows(cur: Any, insert: str, rows: list[list[Any]]) -> None:
    """Rows in multi-row INSERTs (DuckDB's executemany runs one statement per row)."""
    for start in range(0, len(rows), 500):
        chunk = rows[start:start + 500]
        values = ", ".join(["(" + ", ".join(["?"] * len(chunk[0])) + ")"] * len(chunk))
        cur.execute(f"{insert} VALUES {values}", [v for row in chunk for v in row])


def _insert(db: Database, states: list[tuple[EventRecord, bool]]) -> None:
    with db.transaction() as cur:
        cur.execute("INSERT INTO clinicians (id, name) VALUES (1, 'Ann Archer')")
        cur.executemany("INSERT INTO clients (id, name) VALUES (?, ?)",
                        [[1, "Cara Cole"], [2, "Dan Dale"]])
        cur.execute("INSERT INTO services (id, name, default_minutes) VALUES (1, 'Therapy', 50)")
        _insert_rows(
            cur,
            "INSERT INTO events (id, kind, clinician_id, starts_at, ends_at, duration_minutes,"
            " local_start, local_date, week_start, month_key, weekday, service_id, direct,"
            " cancelled_at, version, created_at, updated_at)",
            [[r.id, r.kind.value, 1, r.start, r.end, 50, NOW.replace(tzinfo=None), NOW.date(),
              NOW.date(), 202611, 1, r.service_id, r.direct, NOW if cancelled else None, 1,
              NOW, NOW] for r, cancelled in states])
        _insert_rows(
            cur, "INSERT INTO event_clients (event_id, client_id, attendance)",
            [[r.id, c.client_id, c.attendance and c.attendance.value]
             for r, _ in states for c in r.clients])
        _insert_rows(
            cur, "INSERT INTO plans (event_id, plan_text, previous_homework, previous_note,"
            " saved_at)",
            [[r.id, "plan", "", "", r.plan_saved_at]
             for r, _ in states if r.plan_saved_at is not None])
        _insert_rows(
            cur, "INSERT INTO outcomes (event_id, status, updated_at, signed_at)",
            [[r.id, r.status and r.status.value, NOW, r.signed_at]
             for r, _ in states if r.note])


def _expected(record: EventRecord) -> tuple[Any, ...]:
    completion = record.completion
    return (record.id, *completion.dots.as_tuple(), completion.completed_at)


def test_the_view_and_the_stored_dots_agree_with_the_domain_rule_on_every_state(db_target):
    states = _records()
    with Database(db_target) as db:
        db.init_practice("Test practice", "Europe/London", NOW)
        _insert(db, states)
        with db.transaction() as cur:
            rederive_completion(cur)
        cur = db.cursor()
        stored = cur.execute("SELECT id, dot_details, dot_plan, dot_outcome, completed_at"
                             " FROM events ORDER BY id").fetchall()
        assert stored == [_expected(r) for r, _ in states]
        assert sum(row[4] is not None for row in stored) > 100  # the states include complete

        view = cur.execute("SELECT event_id, dot_details, dot_plan, dot_outcome"
                           " FROM event_status ORDER BY event_id").fetchall()
        assert view == [_expected(r)[:4] for r, cancelled in states
                        if not cancelled and r.is_client_event]


def test_the_rule_is_stated_once_and_inlined_where_it_is_used():
    fragment = query("event_dots").strip()
    texts = {name: sql for _, name, sql in migrations()}
    assert fragment in texts["third_dot_any_status"]
    assert fragment in query("derive_completion")
    assert not any("{event_dots}" in sql for sql in texts.values())
