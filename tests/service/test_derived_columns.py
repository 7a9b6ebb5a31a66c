"""The facts kept on the rows (migration 005) follow every change a clinician makes.

Reports read ``events.dot_*``/``completed_at`` and ``event_clients.first_visit`` instead of
working them out per query, so each use case that changes what they depend on must keep them.
"""

from datetime import UTC, datetime

import pytest

from tests.factories import TestPractice as TP
from tests.factories import at, derived_mismatches, make_practice
from thera_analytics.domain.kinds import EventKind
from thera_analytics.domain.recurrence import Recurrence
from thera_analytics.sample.generator import generate_practice
from thera_analytics.store import Database
from thera_analytics.store import database as database_module
from thera_analytics.store.sql import migrations


@pytest.fixture
def tp() -> TP:
    return make_practice()


def stored(tp: TP, event_id: int) -> tuple:
    row = tp.db.cursor().execute(
        "SELECT dot_details, dot_plan, dot_outcome, completed_at FROM events WHERE id = ?",
        [event_id]).fetchone()
    assert derived_mismatches(tp.db) == []
    return row


def first_visits(tp: TP, client_id: int) -> list[int]:
    assert derived_mismatches(tp.db) == []
    return [r[0] for r in tp.db.cursor().execute(
        "SELECT event_id FROM event_clients WHERE client_id = ? AND first_visit",
        [client_id]).fetchall()]


def test_a_session_is_complete_from_the_later_of_its_plan_and_signature(tp):
    p = tp.practice
    e = tp.create()
    assert stored(tp, e) == (True, False, False, None)
    tp.clock.advance(at(3))  # the session (10:00-10:50 London) is over
    planned_at = tp.clock()
    v = p.save_plan(tp.ann, e, tp.version(e), "CBT worksheet")
    assert stored(tp, e) == (True, True, False, None)
    v = p.record_attendance(tp.ann, e, v, {tp.clients[0]: "attended"})
    assert stored(tp, e) == (True, True, False, None)
    tp.clock.advance(at(1))
    signed_at = tp.clock()
    v = p.sign(tp.ann, e, v)
    assert stored(tp, e) == (True, True, True, signed_at)
    assert signed_at > planned_at

    # An amendment of the plan inside the 24-hour window moves the completion instant.
    tp.clock.advance(at(2))
    v = p.save_plan(tp.ann, e, v, "CBT worksheet, revised")
    assert stored(tp, e) == (True, True, True, tp.clock())


def test_an_indirect_session_stays_complete_when_its_status_is_amended(tp):
    # Dot 3 takes any status once signed (the article: "the Status is marked and also signed").
    p = tp.practice
    e = tp.create(kind=EventKind.CLIENT_TEAM_MEETING, direct=False)
    tp.clock.advance(at(3))
    v = p.save_plan(tp.ann, e, tp.version(e), "Case review")
    v = p.record_status(tp.ann, e, v, "completed")
    v = p.sign(tp.ann, e, v)
    signed_at = tp.clock()
    assert stored(tp, e)[3] == signed_at
    tp.clock.advance(at(1))
    v = p.record_status(tp.ann, e, v, "in_progress")  # within the amendment window
    assert stored(tp, e) == (True, True, True, signed_at)


def test_a_group_session_needs_every_client_marked(tp):
    p = tp.practice
    e = tp.create(kind=EventKind.GROUP_SESSION, client_ids=tuple(tp.clients))
    tp.clock.advance(at(3))
    v = p.save_plan(tp.ann, e, tp.version(e), "Group plan")
    v = p.record_attendance(tp.ann, e, v, {tp.clients[0]: "attended", tp.clients[1]: "no_show"})
    assert stored(tp, e)[2] is False
    v = p.record_attendance(tp.ann, e, v, {tp.clients[2]: "late_cancellation"},
                            {tp.clients[2]: "forgot"})
    v = p.sign(tp.ann, e, v)
    assert stored(tp, e) == (True, True, True, tp.clock())


def test_a_non_client_event_has_no_dots(tp):
    e = tp.create(kind=EventKind.ADMIN, service_id=None, client_ids=(), direct=None,
                  title="Invoices")
    assert stored(tp, e) == (False, False, False, None)


def test_changing_the_clients_moves_their_first_visits(tp):
    p = tp.practice
    e = tp.create()
    p.update_details(tp.ann, e, tp.version(e), tp.details(client_ids=(tp.clients[1],)))
    assert stored(tp, e)[0] is True
    assert first_visits(tp, tp.clients[0]) == []
    assert first_visits(tp, tp.clients[1]) == [e]


def test_the_first_visit_follows_bookings_moves_and_cancellations(tp):
    p = tp.practice
    cara = tp.clients[0]
    later = tp.create(start=datetime(2026, 6, 8, 10), end=datetime(2026, 6, 8, 10, 50))
    assert first_visits(tp, cara) == [later]
    earlier = tp.create()  # 1 June, booked second
    assert first_visits(tp, cara) == [earlier]

    p.reschedule(tp.ann, later, tp.version(later), datetime(2026, 5, 29, 9),
                 datetime(2026, 5, 29, 9, 50))
    assert first_visits(tp, cara) == [later]

    p.cancel(tp.ann, later, tp.version(later), reason="forgot")
    assert first_visits(tp, cara) == [earlier]

    same_time = tp.create(kind=EventKind.GROUP_SESSION, client_ids=(cara, tp.clients[1]),
                          start=datetime(2026, 6, 1, 10), end=datetime(2026, 6, 1, 10, 50),
                          clinician_id=tp.ben.clinician_id, actor=tp.ben)
    # Same start: the lower id is the first visit; Dan's first visit is the group session.
    assert first_visits(tp, cara) == [earlier]
    assert first_visits(tp, tp.clients[1]) == [same_time]

    series = p.create_event(tp.ann, tp.details(client_ids=(tp.clients[2],),
                                               start=datetime(2026, 6, 2, 10),
                                               end=datetime(2026, 6, 2, 10, 50)),
                            repeat=_weekly(4))
    assert first_visits(tp, tp.clients[2]) == [series[0]]
    p.cancel(tp.ann, series[0], tp.version(series[0]), scope="following", reason="forgot")
    assert first_visits(tp, tp.clients[2]) == []


def test_an_older_database_gets_the_columns_filled_when_it_is_migrated(tmp_path, monkeypatch):
    """Rows written before migration 005 are filled by its data step."""
    path = str(tmp_path / "old.duckdb")
    with monkeypatch.context() as m:  # a practice as the code before migration 005 kept it
        m.setattr(database_module, "migrations", lambda engine=None: migrations(engine)[:4])
        old = Database(path)
        assert old.schema_version() == 4
        cur = old.cursor()
        cur.execute("INSERT INTO clinicians (id, name) VALUES (1, 'Ann')")
        cur.execute("INSERT INTO clients (id, name) VALUES (1, 'Cara'), (2, 'Dan')")
        cur.execute("INSERT INTO services (id, name, default_minutes) VALUES (1, 'Therapy', 50)")
        for event_id, day in ((1, 8), (2, 1), (3, 2)):
            starts = datetime(2026, 6, day, 9, tzinfo=UTC)
            cur.execute(
                "INSERT INTO events (id, kind, clinician_id, starts_at, ends_at,"
                " duration_minutes, local_start, local_date, week_start, month_key, weekday,"
                " service_id, direct, version, created_at, updated_at)"
                " VALUES (?, 'client_session', 1, ?, ?, 50, ?, ?, ?, 202606, 0, 1, TRUE, 1, ?, ?)",
                [event_id, starts, starts + at(1), starts.replace(tzinfo=None), starts.date(),
                 starts.date(), starts, starts])
        cur.execute("INSERT INTO event_clients VALUES (1, 1, 'attended'), (2, 1, 'attended'),"
                    " (3, 2, NULL)")
        plan_at = datetime(2026, 6, 1, 8, tzinfo=UTC)
        signed_at = datetime(2026, 6, 1, 11, tzinfo=UTC)
        cur.execute("INSERT INTO plans VALUES (2, 'p', '', '', ?, NULL), (3, 'p', '', '', ?, NULL)",
                    [plan_at, plan_at])
        cur.execute("INSERT INTO outcomes (event_id, updated_at, signed_at) VALUES (2, ?, ?),"
                    " (3, ?, ?)", [signed_at, signed_at, signed_at, signed_at])
        old.close()

    db = Database(path)
    assert db.schema_version() == max(v for v, _, _ in migrations())
    assert db.cursor().execute(
        "SELECT id, dot_details, dot_plan, dot_outcome, completed_at FROM events ORDER BY id"
    ).fetchall() == [(1, True, False, False, None), (2, True, True, True, signed_at),
                     (3, True, True, False, None)]
    assert db.cursor().execute(
        "SELECT event_id, client_id FROM event_clients WHERE first_visit ORDER BY 2"
    ).fetchall() == [(2, 1), (3, 2)]
    assert derived_mismatches(db) == []
    db.close()


def _weekly(count: int) -> Recurrence:
    return Recurrence(interval_weeks=1, count=count)


def test_the_sample_practice_is_generated_with_its_derived_columns(tmp_path):
    db = Database(str(tmp_path / "sample.duckdb"))
    generate_practice(db, clinicians=3, weeks=10, seed=7,
                      now=datetime(2026, 6, 12, 6, tzinfo=UTC))
    cur = db.cursor()
    complete, firsts, clients = cur.execute(
        "SELECT (SELECT count(*) FROM events WHERE completed_at IS NOT NULL),"
        " (SELECT count(*) FROM event_clients WHERE first_visit),"
        " (SELECT count(DISTINCT client_id) FROM session_facts)").fetchone()
    assert complete > 0
    assert firsts == clients
    assert derived_mismatches(db) == []
    db.close()

