"""The first-visit rule (a client's first live client event: the earliest start, then the
lowest id) is written once in SQL (queries/first_visit_ranking.sql), and both statements that
apply it agree with the rule worked out here from the rows, on both engines: the flag kept on
``event_clients`` (``derive_first_visits``) and the open rows of ``first_visit_history``
written with the event history (``first_visits_of_event``)."""

from __future__ import annotations

from datetime import datetime, timedelta
from importlib import resources

from tests.factories import TestPractice, make_practice
from thera_analytics.domain.kinds import EventKind
from thera_analytics.store.derived import backfill
from thera_analytics.store.sql import query

RULE = "PARTITION BY ec.client_id ORDER BY e.starts_at, e.id"


def _by_rule(tp: TestPractice) -> dict[int, int]:
    """Each client's first visit, worked out in Python from the rows."""
    rows = tp.db.cursor().execute(
        "SELECT ec.client_id, e.id, e.starts_at, e.cancelled_at, k.event_group"
        " FROM event_clients ec JOIN events e ON e.id = ec.event_id"
        " JOIN event_kinds k ON k.kind = e.kind").fetchall()
    first: dict[int, tuple[datetime, int]] = {}
    for client_id, event_id, starts_at, cancelled_at, group in rows:
        if group != "client" or cancelled_at is not None:
            continue
        key = (starts_at, int(event_id))
        if int(client_id) not in first or key < first[int(client_id)]:
            first[int(client_id)] = key
    return {client: key[1] for client, key in first.items()}


def _flagged(tp: TestPractice) -> dict[int, int]:
    return {int(c): int(e) for c, e in tp.db.cursor().execute(
        "SELECT client_id, event_id FROM event_clients WHERE first_visit").fetchall()}


def _open_history(tp: TestPractice) -> dict[int, int]:
    return {int(c): int(e) for c, e in tp.db.cursor().execute(
        "SELECT client_id, event_id FROM first_visit_history WHERE valid_to IS NULL").fetchall()}


def _agree(tp: TestPractice) -> dict[int, int]:
    expected = _by_rule(tp)
    assert _flagged(tp) == expected
    assert _open_history(tp) == expected
    return expected


def test_both_statements_apply_the_one_rule_on_each_engine(db_target: str) -> None:
    tp = make_practice(db_target)
    try:
        p = tp.practice
        cara, dan, eve = tp.clients
        later = tp.create(start=datetime(2026, 6, 8, 10), end=datetime(2026, 6, 8, 10, 50))
        assert _agree(tp) == {cara: later}
        earlier = tp.create()  # 1 June 10:00, booked second
        assert _agree(tp)[cara] == earlier
        # The same start as another: the lower id counts, for Cara and for Dan alike.
        same_start = tp.create(kind=EventKind.GROUP_SESSION, client_ids=(cara, dan),
                               start=datetime(2026, 6, 1, 10), end=datetime(2026, 6, 1, 10, 50),
                               clinician_id=tp.ben.clinician_id, actor=tp.ben)
        assert _agree(tp) == {cara: earlier, dan: same_start}
        tp.clock.advance(timedelta(minutes=5))
        p.cancel(tp.ann, earlier, tp.version(earlier), reason="forgot")
        assert _agree(tp) == {cara: same_start, dan: same_start}
        tp.clock.advance(timedelta(minutes=5))
        p.reschedule(tp.ann, later, tp.version(later), datetime(2026, 5, 29, 9),
                     datetime(2026, 5, 29, 9, 50))
        assert _agree(tp) == {cara: later, dan: same_start}
        tp.clock.advance(timedelta(minutes=5))
        p.update_details(tp.ann, later, tp.version(later), tp.details(
            client_ids=(eve,), start=datetime(2026, 5, 29, 9),
            end=datetime(2026, 5, 29, 9, 50)))
        assert _agree(tp) == {cara: same_start, dan: same_start, eve: later}
        # Worked out again for every client at once (a bulk load's backfill): the same.
        with tp.db.transaction() as cur:
            cur.execute("UPDATE event_clients SET first_visit = NOT first_visit")
            backfill(cur)
        assert _agree(tp) == {cara: same_start, dan: same_start, eve: later}
    finally:
        tp.db.close()


def test_the_rule_is_written_once_and_both_statements_inline_it() -> None:
    folder = resources.files("thera_analytics.store") / "queries"
    holding = sorted(f.name for f in folder.iterdir()
                     if f.name.endswith(".sql") and RULE in f.read_text(encoding="utf-8"))
    assert holding == ["first_visit_ranking.sql"]
    rule = query("first_visit_ranking").rstrip()
    for statement in ("derive_first_visits", "first_visits_of_event", "first_visit_close",
                      "first_visit_drop", "first_visit_open"):
        assert rule in query(statement), statement
