"""Save and sign is one use case in one transaction: a refused signature saves nothing."""

from datetime import timedelta

import pytest

from tests.factories import table_contents
from thera_analytics.domain.errors import ConflictError, SigningError, ValidationError
from thera_analytics.domain.outcome_change import OutcomeChange


def _ended(tp):
    event_id = tp.create()
    tp.clock.set(tp.practice.event(tp.ann, event_id).end + timedelta(minutes=5))
    return event_id, tp.version(event_id)


def test_a_refused_signature_leaves_the_outcome_unsaved(tp):
    """The plan is missing, so signing is refused: the marks and note given with it are not
    saved either (no row, no version, no audit or history row)."""
    event_id, v = _ended(tp)
    before = table_contents(tp.db)
    change = OutcomeChange.of(attendance={tp.clients[0]: "attended"}, note="Went well")
    with pytest.raises(SigningError, match="save the plan first") as err:
        tp.practice.save_and_sign(tp.ann, event_id, v, change)
    assert err.value.field == "signature"
    assert table_contents(tp.db) == before
    rec = tp.practice.event(tp.ann, event_id)
    assert rec.version == v and rec.note == "" and rec.clients[0].attendance is None
    assert rec.signed_at is None


def test_save_and_sign_saves_the_outcome_and_signs_at_once(tp):
    event_id, v = _ended(tp)
    v = tp.practice.save_plan(tp.ann, event_id, v, "Plan")
    change = OutcomeChange.of(attendance={tp.clients[0]: "attended"}, note="Went well")
    new_version = tp.practice.save_and_sign(tp.ann, event_id, v, change)
    rec = tp.practice.event(tp.ann, event_id)
    assert rec.version == new_version > v
    assert rec.note == "Went well" and rec.clients[0].attendance is not None
    assert rec.signed_at == tp.clock() and rec.dots is not None and rec.dots.complete
    actions = tp.db.df("SELECT action FROM audit_log WHERE entity_id = ? ORDER BY id",
                       [event_id])["action"].tolist()
    assert actions[-2:] == ["save_outcome", "sign"]


def test_save_and_sign_with_nothing_changed_only_signs(tp):
    event_id, v = _ended(tp)
    v = tp.practice.save_plan(tp.ann, event_id, v, "Plan")
    v = tp.practice.record_attendance(tp.ann, event_id, v, {tp.clients[0]: "attended"})
    assert tp.practice.save_and_sign(tp.ann, event_id, v, OutcomeChange()) == v + 1
    assert tp.practice.event(tp.ann, event_id).signed_at == tp.clock()


def test_bad_input_in_save_and_sign_names_its_field_and_saves_nothing(tp):
    event_id, v = _ended(tp)
    v = tp.practice.save_plan(tp.ann, event_id, v, "Plan")
    before = table_contents(tp.db)
    with pytest.raises(ValidationError) as err:
        tp.practice.save_and_sign(tp.ann, event_id, v, OutcomeChange.of(
            attendance={tp.clients[0]: "attended"}, homework="x", homework_shared=True))
    assert err.value.field == "homework_shared"
    with pytest.raises(ConflictError):
        tp.practice.save_and_sign(tp.ann, event_id, v - 1, OutcomeChange.of(
            attendance={tp.clients[0]: "attended"}))
    assert table_contents(tp.db) == before
