"""Every refusal in SPEC.md's failure list: a clear error naming the field, nothing changed.

Each case does its set-up and returns the one call that must be refused."""

from datetime import datetime, timedelta

import pytest

from tests.factories import table_contents
from tests.helpers.events import new_session
from thera_analytics.domain.errors import (
    ConflictError,
    LockedError,
    NotFoundError,
    PermissionDenied,
    SigningError,
    ValidationError,
)
from thera_analytics.domain.kinds import EventKind
from thera_analytics.domain.outcome_change import OutcomeChange
from thera_analytics.service import audit
from thera_analytics.service.scheduling import OverlapError


def _signed(tp):
    event_id, v = new_session(tp)
    tp.clock.set(tp.practice.event(tp.ann, event_id).end)
    v = tp.practice.save_outcome(tp.ann, event_id, v,
        OutcomeChange.of(attendance={tp.clients[0]: "attended"}))
    v = tp.practice.save_plan(tp.ann, event_id, v, "plan")
    v = tp.practice.sign(tp.ann, event_id, v)
    return event_id, v


def end_before_start(tp):
    return lambda: tp.create(end=datetime(2026, 6, 1, 9, 0))


def unknown_client(tp):
    return lambda: tp.create(client_ids=(999,))


def unknown_service(tp):
    return lambda: tp.create(service_id=999)


def missing_service(tp):
    return lambda: tp.create(service_id=None)


def missing_client(tp):
    return lambda: tp.create(client_ids=())


def attendance_on_indirect(tp):
    event_id, v = new_session(tp, kind=EventKind.CLIENT_TEAM_MEETING, direct=False)
    return lambda: tp.practice.record_attendance(tp.ann, event_id, v, {tp.clients[0]: "attended"})


def status_on_direct(tp):
    event_id, v = new_session(tp)
    return lambda: tp.practice.record_status(tp.ann, event_id, v, "completed")


def signing_twice(tp):
    event_id, v = _signed(tp)
    return lambda: tp.practice.sign(tp.ann, event_id, v)


def signing_without_outcome(tp):
    event_id, v = new_session(tp)
    tp.clock.set(tp.practice.event(tp.ann, event_id).end)
    return lambda: tp.practice.sign(tp.ann, event_id, v)


def signing_without_a_plan(tp):
    event_id, v = new_session(tp)
    tp.clock.set(tp.practice.event(tp.ann, event_id).end)
    v = tp.practice.save_outcome(tp.ann, event_id, v,
        OutcomeChange.of(attendance={tp.clients[0]: "attended"}))
    return lambda: tp.practice.sign(tp.ann, event_id, v)


def amending_locked_note(tp):
    event_id, v = _signed(tp)
    tp.clock.advance(timedelta(hours=24))
    return lambda: tp.practice.save_outcome(tp.ann, event_id, v, OutcomeChange.of(note="too late"))


def nonexistent_time(tp):
    return lambda: tp.create(start=datetime(2026, 3, 29, 1, 15), end=datetime(2026, 3, 29, 2, 15))


def ambiguous_time(tp):
    return lambda: tp.create(start=datetime(2026, 10, 25, 1, 15), end=datetime(2026, 10, 25, 2, 15))


def stale_version(tp):
    event_id, v = new_session(tp)
    tp.practice.save_plan(tp.ann, event_id, v, "mine")
    return lambda: tp.practice.save_plan(tp.ann, event_id, v, "theirs, from an old copy")


def another_clinicians_event(tp):
    event_id, v = new_session(tp)
    return lambda: tp.practice.save_plan(tp.ben, event_id, v, "not mine")


def manager_edits(tp):
    event_id, v = new_session(tp)
    return lambda: tp.practice.save_plan(tp.manager, event_id, v, "managers read only")


def client_opens_someone_elses_event(tp):
    event_id, _ = new_session(tp, client_ids=(tp.clients[1],))
    return lambda: tp.practice.event(tp.client_actor, event_id)


def booking_for_another_clinician(tp):
    return lambda: tp.create(actor=tp.ann, clinician_id=tp.ben.clinician_id)


def overlapping_booking(tp):
    tp.create()
    return lambda: tp.create(start=datetime(2026, 6, 1, 10, 30), end=datetime(2026, 6, 1, 11, 0))


def shared_homework_not_enabled(tp):
    event_id, v = new_session(tp)
    return lambda: tp.practice.save_outcome(tp.ann, event_id, v,
        OutcomeChange.of(homework="x", homework_shared=True))


def attendance_for_a_client_not_in_the_session(tp):
    event_id, v = new_session(tp)
    return lambda: tp.practice.record_attendance(tp.ann, event_id, v, {tp.clients[2]: "attended"})


def huge_note(tp):
    event_id, v = new_session(tp)
    return lambda: tp.practice.save_outcome(tp.ann, event_id, v,
                                            OutcomeChange.of(note="x" * 20_001))


def details_after_signing(tp):
    event_id, v = _signed(tp)
    return lambda: tp.practice.update_details(tp.ann, event_id, v, tp.details(title="moved"))


def plan_on_non_client_event(tp):
    event_id, v = new_session(tp, kind=EventKind.ADMIN, service_id=None, client_ids=(), direct=None)
    return lambda: tp.practice.save_plan(tp.ann, event_id, v, "no plans for admin")


CASES = [
    (end_before_start, ValidationError, "end"),
    (unknown_client, NotFoundError, "clients"),
    (unknown_service, NotFoundError, "service"),
    (missing_service, ValidationError, "service"),
    (missing_client, ValidationError, "clients"),
    (attendance_on_indirect, ValidationError, "attendance"),
    (status_on_direct, ValidationError, "status"),
    (signing_twice, SigningError, "already signed"),
    (signing_without_outcome, SigningError, "mark the outcome"),
    (signing_without_a_plan, SigningError, "save the plan first"),
    (amending_locked_note, LockedError, "only comments"),
    (nonexistent_time, ValidationError, "start"),
    (ambiguous_time, ValidationError, "start"),
    (stale_version, ConflictError, "changed by someone else"),
    (another_clinicians_event, PermissionDenied, "only the clinician"),
    (manager_edits, PermissionDenied, "only the clinician"),
    (client_opens_someone_elses_event, PermissionDenied, "cannot open"),
    (booking_for_another_clinician, PermissionDenied, "only the clinician"),
    (overlapping_booking, OverlapError, "overlaps event"),
    (shared_homework_not_enabled, ValidationError, "homework_shared"),
    (attendance_for_a_client_not_in_the_session, ValidationError, "attendance"),
    (huge_note, ValidationError, "note"),
    (details_after_signing, LockedError, "signed"),
    (plan_on_non_client_event, ValidationError, "plan"),
]


@pytest.mark.parametrize(("action", "error", "names"), CASES, ids=[c[0].__name__ for c in CASES])
def test_refusal_is_specific_and_leaves_the_database_unchanged(tp, action, error, names):
    final_step = action(tp)  # set-up steps run here; the returned call is the one refused
    before = table_contents(tp.db)
    with pytest.raises(error) as err:
        final_step()
    message = str(err.value)
    assert names in message or getattr(err.value, "field", None) == names, message
    assert table_contents(tp.db) == before


def test_a_crash_in_the_middle_of_a_save_leaves_no_partial_record(tp, monkeypatch):
    event_id, v = new_session(tp)
    before = table_contents(tp.db)

    def power_cut(*args, **kwargs):
        raise RuntimeError("power cut after the outcome rows were written")

    monkeypatch.setattr(audit, "record", power_cut)
    with pytest.raises(RuntimeError):
        tp.practice.save_outcome(
            tp.ann, event_id, v,
                OutcomeChange.of(attendance={tp.clients[0]: "attended"}, note="half-written?")
        )
    assert table_contents(tp.db) == before


def test_overlap_can_be_accepted_by_the_caller(tp):
    tp.create()
    ids = tp.practice.create_event(
        tp.ann,
        tp.details(start=datetime(2026, 6, 1, 10, 30), end=datetime(2026, 6, 1, 11, 0)),
        allow_overlap=True,
    )
    assert len(ids) == 1
