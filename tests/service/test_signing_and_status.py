"""Signing needs the plan and the outcome; "Not marked" clears a status; dot 3 takes any status."""

from datetime import timedelta

import pytest

from thera_analytics.domain.errors import SigningError, ValidationError
from thera_analytics.domain.kinds import EventKind
from thera_analytics.domain.outcome_change import OutcomeChange


def _ended(tp, **overrides):
    event_id = tp.create(**overrides)
    tp.clock.set(tp.practice.event(tp.ann, event_id).end + timedelta(minutes=5))
    return event_id, tp.version(event_id)


def test_signing_without_a_plan_is_refused_naming_the_plan(tp):
    p = tp.practice
    event_id, v = _ended(tp)
    v = p.record_attendance(tp.ann, event_id, v, {tp.clients[0]: "attended"})
    with pytest.raises(SigningError, match="signature: save the plan first$"):
        p.sign(tp.ann, event_id, v)
    assert p.event(tp.ann, event_id).signed_at is None
    v = p.save_plan(tp.ann, event_id, v, "Plan")
    p.sign(tp.ann, event_id, v)
    assert p.event(tp.ann, event_id).dots.complete


def test_signing_with_nothing_done_names_both_steps(tp):
    event_id, v = _ended(tp)
    with pytest.raises(SigningError) as err:
        tp.practice.sign(tp.ann, event_id, v)
    assert err.value.field == "signature"
    assert "save the plan first" in str(err.value) and "mark the outcome first" in str(err.value)


def test_not_marked_clears_a_status_and_the_dot(tp):
    p = tp.practice
    event_id, v = _ended(tp, kind=EventKind.CLIENT_TEAM_MEETING, direct=False)
    v = p.save_plan(tp.ann, event_id, v, "Case conference")
    v = p.record_status(tp.ann, event_id, v, "on_hold")
    assert p.event(tp.ann, event_id).status is not None
    v2 = p.save_outcome(tp.ann, event_id, v, OutcomeChange.of(status=None))
    rec = p.event(tp.ann, event_id)
    assert v2 == v + 1 and rec.status is None and not rec.outcome_marked
    stored = tp.db.df("SELECT status FROM outcomes WHERE event_id = ?", [event_id])
    assert stored["status"].isna().all()
    with pytest.raises(SigningError, match="mark the outcome first"):
        p.sign(tp.ann, event_id, v2)
    # Leaving the status out changes nothing: no new version.
    assert p.save_outcome(tp.ann, event_id, v2, OutcomeChange()) == v2


def test_not_marked_on_a_direct_session_is_refused_by_field(tp):
    event_id, v = _ended(tp)
    with pytest.raises(ValidationError) as err:
        tp.practice.save_outcome(tp.ann, event_id, v, OutcomeChange.of(status=None))
    assert err.value.field == "status"


@pytest.mark.parametrize("status", ["completed", "in_progress", "on_hold"])
def test_third_dot_is_green_once_any_status_is_marked_and_signed(tp, status):
    p = tp.practice
    event_id, v = _ended(tp, kind=EventKind.CLIENT_TEAM_MEETING, direct=False)
    v = p.save_plan(tp.ann, event_id, v, "Case conference")
    v = p.record_status(tp.ann, event_id, v, status)
    assert not p.event(tp.ann, event_id).dots.outcome
    p.sign(tp.ann, event_id, v)
    assert p.event(tp.ann, event_id).dots.complete
    stored = tp.db.df("SELECT dot_outcome, completed_at IS NOT NULL AS done FROM events"
                      " WHERE id = ?", [event_id]).iloc[0]
    assert bool(stored["dot_outcome"]) and bool(stored["done"])
    views = tp.db.df("SELECT (SELECT count(*) FROM note_backlog WHERE event_id = ?) AS backlog,"
                     " (SELECT bool_and(complete) FROM session_facts WHERE event_id = ?) AS ok",
                     [event_id, event_id]).iloc[0]
    assert views["backlog"] == 0 and bool(views["ok"])


def test_migration_006_rederives_the_stored_dots_of_existing_rows(tmp_path):
    from tests.factories import make_practice
    from thera_analytics.store import Database

    path = str(tmp_path / "practice.duckdb")
    tp = make_practice(path)
    event_id, v = _ended(tp, kind=EventKind.CLIENT_TEAM_MEETING, direct=False)
    v = tp.practice.save_plan(tp.ann, event_id, v, "Case conference")
    v = tp.practice.record_status(tp.ann, event_id, v, "on_hold")
    tp.practice.sign(tp.ann, event_id, v)
    # As a database written before migration 006 stored it: on hold did not complete dot 3.
    with tp.db.transaction() as cur:
        cur.execute("UPDATE events SET dot_outcome = FALSE, completed_at = NULL WHERE id = ?",
                    [event_id])
        cur.execute("DELETE FROM schema_migrations WHERE version = 6")
    tp.db.close()
    db = Database(path)
    try:
        row = db.cursor().execute("SELECT dot_outcome, completed_at IS NOT NULL FROM events"
                                  " WHERE id = ?", [event_id]).fetchone()
        assert row == (True, True)
        assert db.schema_version() >= 6
    finally:
        db.close()
