"""A client session from booking to lock, as a clinician lives it."""

from datetime import datetime, timedelta

import pytest

from thera_analytics.domain.errors import LockedError
from thera_analytics.domain.kinds import EventKind
from thera_analytics.domain.outcome_change import OutcomeChange
from thera_analytics.domain.steps import Step


def test_direct_video_session_goes_grey_to_green_dot_by_dot(tp):
    p, ann = tp.practice, tp.ann
    event_id = tp.create(kind=EventKind.VIDEO_SESSION, video_link="https://meet.example/abc")
    rec = p.event(ann, event_id)
    assert rec.dots.as_tuple() == (True, False, False) and rec.next_step is Step.PLAN

    v = p.save_plan(ann, event_id, rec.version, "Practise grounding")
    assert p.event(ann, event_id).dots.as_tuple() == (True, True, False)

    tp.clock.set(datetime(2026, 6, 1, 10, 0).replace(tzinfo=rec.start.tzinfo) + timedelta(hours=1))
    v = p.record_attendance(ann, event_id, v, {tp.clients[0]: "Attended"})
    v = p.save_outcome(
        ann,
        event_id,
        v,
        OutcomeChange.of(note="Went well",
        homework="Journal daily",
        homework_enabled=True,
        homework_shared=True),
    )
    assert p.event(ann, event_id).dots.as_tuple() == (True, True, False)  # not signed yet
    p.sign(ann, event_id, v)
    rec = p.event(ann, event_id)
    assert rec.dots.complete and rec.signed_by == "Ann Archer"
    facts = tp.db.df(
        "SELECT attendance, billable, complete FROM session_facts WHERE event_id = ?", [event_id]
    )
    assert facts.to_dict("records") == [
        {"attendance": "attended", "billable": True, "complete": True}
    ]


def _signed_session(tp):
    p, ann = tp.practice, tp.ann
    event_id = tp.create()
    v = p.save_plan(ann, event_id, tp.version(event_id), "plan")
    tp.clock.set(p.event(ann, event_id).end)
    v = p.save_outcome(ann, event_id, v,
        OutcomeChange.of(attendance={tp.clients[0]: "attended"}, note="first"))
    v = p.sign(ann, event_id, v)
    return event_id, v, tp.clock()


def test_amendment_at_23_59_59_is_kept_with_the_previous_value(tp):
    event_id, v, signed_at = _signed_session(tp)
    tp.clock.set(signed_at + timedelta(hours=23, minutes=59, seconds=59))
    tp.practice.save_outcome(
        tp.ann, event_id, v,
            OutcomeChange.of(note="second", attendance={tp.clients[0]: "late_cancellation"},
        reasons={tp.clients[0]: "forgot"}),
    )
    rec = tp.practice.event(tp.ann, event_id)
    assert rec.note == "second"
    changes = {(a.field, a.previous_value, a.new_value, a.amended_by) for a in rec.amendments}
    assert changes == {
        ("note", "first", "second", "Ann Archer"),
        ("attendance", "attended", "late_cancellation", "Ann Archer"),
    }


def test_at_24_hours_changes_are_refused_and_only_comments_remain(tp):
    event_id, v, signed_at = _signed_session(tp)
    tp.clock.set(signed_at + timedelta(hours=24))
    for change in ({"note": "late"}, {"attendance": {tp.clients[0]: "no_show"}}, {"homework": "x"}):
        with pytest.raises(LockedError, match="only comments"):
            tp.practice.save_outcome(tp.ann, event_id, v, OutcomeChange.of(**change))
    with pytest.raises(LockedError):
        tp.practice.save_plan(tp.ann, event_id, v, "new plan")
    tp.practice.add_comment(tp.ann, event_id, "Addendum: GP letter sent")
    rec = tp.practice.event(tp.ann, event_id)
    assert rec.note == "first" and [c.body for c in rec.comments] == ["Addendum: GP letter sent"]


def test_indirect_session_records_a_status_and_completes_once_signed(tp):
    p, ann = tp.practice, tp.ann
    event_id = tp.create(kind=EventKind.CLIENT_TEAM_MEETING, direct=False)
    v = p.save_plan(ann, event_id, tp.version(event_id), "case conference")
    tp.clock.set(p.event(ann, event_id).end)
    v = p.record_status(ann, event_id, v, "In progress")
    assert not p.event(ann, event_id).dots.outcome  # marked, not signed
    v = p.sign(ann, event_id, v)
    assert p.event(ann, event_id).dots.complete  # whichever status it is
    p.record_status(ann, event_id, v, "Completed")
    assert p.event(ann, event_id).dots.complete


def test_group_session_records_attendance_per_client(tp):
    p, ann = tp.practice, tp.ann
    event_id = tp.create(kind=EventKind.GROUP_SESSION, client_ids=tuple(tp.clients))
    tp.clock.set(p.event(ann, event_id).end)
    v = p.record_attendance(
        ann, event_id, tp.version(event_id), {tp.clients[0]: "attended", tp.clients[1]: "no_show"}
    )
    assert not p.event(ann, event_id).outcome_marked
    v = p.record_attendance(ann, event_id, v, {tp.clients[2]: "cancelled"},
                            {tp.clients[2]: "client_illness"})
    marks = {c.client_id: c.attendance.value for c in p.event(ann, event_id).clients}
    assert marks == {
        tp.clients[0]: "attended",
        tp.clients[1]: "no_show",
        tp.clients[2]: "cancelled",
    }
    billable = tp.db.df(
        "SELECT client_id, billable FROM session_facts WHERE event_id = ? ORDER BY client_id",
        [event_id],
    )["billable"].tolist()
    assert billable == [True, True, False]


def test_plan_is_prefilled_from_the_clients_previous_session(tp):
    p, ann = tp.practice, tp.ann
    first = tp.create()
    tp.clock.set(p.event(ann, first).end)
    p.save_outcome(
        ann,
        first,
        tp.version(first),
        OutcomeChange.of(attendance={tp.clients[0]: "attended"},
        note="Discussed sleep",
        homework="Sleep diary"),
    )
    second = tp.create(start=datetime(2026, 6, 8, 10, 0), end=datetime(2026, 6, 8, 10, 50))
    p.save_plan(ann, second, tp.version(second), "Review diary")
    rec = p.event(ann, second)
    assert (rec.previous_homework, rec.previous_note) == ("Sleep diary", "Discussed sleep")
    third = tp.create(start=datetime(2026, 6, 15, 10, 0), end=datetime(2026, 6, 15, 10, 50))
    p.save_plan(ann, third, tp.version(third), "x", previous_homework="edited", previous_note="")
    rec = p.event(ann, third)
    assert (rec.previous_homework, rec.previous_note) == ("edited", "")


def test_every_change_is_in_the_audit_log(tp):
    p, ann = tp.practice, tp.ann
    event_id = tp.create()
    v = p.save_plan(ann, event_id, tp.version(event_id), "plan")
    tp.clock.set(p.event(ann, event_id).end)
    v = p.save_outcome(ann, event_id, v, OutcomeChange.of(attendance={tp.clients[0]: "attended"}))
    p.sign(ann, event_id, v)
    p.add_comment(ann, event_id, "note to file")
    actions = tp.db.df(
        "SELECT action, user_id FROM audit_log WHERE entity_id = ? AND"
        " entity = 'event' ORDER BY id",
        [event_id],
    )
    assert actions["action"].tolist() == [
        "create_event",
        "save_plan",
        "save_outcome",
        "sign",
        "comment",
    ]
    assert set(actions["user_id"]) == {ann.user_id}


def test_details_can_change_service_clients_and_time_before_signing(tp):
    from thera_analytics.service import catalog

    event_id = tp.create()
    other = catalog.add_service(tp.db, "Assessment", 90, tp.clock())
    tp.practice.update_details(
        tp.ann, event_id, tp.version(event_id),
        tp.details(service_id=other, client_ids=(tp.clients[1],), title="Assessment",
                   start=datetime(2026, 6, 1, 14, 0), end=datetime(2026, 6, 1, 15, 30)))
    rec = tp.practice.event(tp.ann, event_id)
    assert (rec.service_name, rec.client_ids, rec.local_start.hour, rec.version) == (
        "Assessment", (tp.clients[1],), 14, 2)


def test_saving_an_unchanged_outcome_writes_nothing(tp):
    from tests.factories import table_contents

    event_id = tp.create()
    v = tp.practice.save_outcome(tp.ann, event_id, tp.version(event_id),
        OutcomeChange.of(note="same"))
    before = table_contents(tp.db)
    assert tp.practice.save_outcome(tp.ann, event_id, v, OutcomeChange.of(note="same")) == v
    assert table_contents(tp.db) == before


def test_refusals_name_their_field_for_the_form(tp):
    from thera_analytics.domain.errors import ConflictError, LockedError

    assert LockedError("note: locked").field == "note"
    assert ConflictError(1, 1, 2).field == "version"
