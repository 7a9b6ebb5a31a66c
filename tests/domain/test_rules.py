from datetime import UTC, date, datetime, timedelta

import pytest

from thera_analytics.domain.attendance import Attendance, SessionStatus, check_outcome_fits
from thera_analytics.domain.backlog import bucket_for
from thera_analytics.domain.details import (
    EventDetails,
    ReminderRequest,
    reminder_due_at,
    validate_details,
)
from thera_analytics.domain.dots import dots_for, outcome_marked
from thera_analytics.domain.errors import LockedError, SigningError, ValidationError
from thera_analytics.domain.kinds import EventKind
from thera_analytics.domain.local_time import LocalKeys, practice_zone, to_instant
from thera_analytics.domain.recurrence import Recurrence, occurrences
from thera_analytics.domain.signing import (
    can_amend,
    check_can_change,
    check_can_sign,
    sign_blockers,
)
from thera_analytics.domain.steps import Step, next_step

SIGNED = datetime(2026, 5, 4, 12, 0, tzinfo=UTC)
LONDON = practice_zone("Europe/London")


def test_amendments_allowed_until_the_last_second_of_24_hours():
    assert can_amend(SIGNED, SIGNED + timedelta(hours=23, minutes=59, seconds=59))


def test_at_exactly_24_hours_the_note_is_locked():
    assert not can_amend(SIGNED, SIGNED + timedelta(hours=24))
    with pytest.raises(LockedError, match="only comments"):
        check_can_change(SIGNED, SIGNED + timedelta(hours=24), "note")


def test_unsigned_notes_are_always_editable():
    assert can_amend(None, SIGNED + timedelta(days=400))


def test_signing_rules():
    ok = dict(signed_at=None, plan_saved=True, outcome_marked=True, is_owner=True)
    with pytest.raises(SigningError, match="only the clinician"):
        check_can_sign(**{**ok, "is_owner": False})
    with pytest.raises(SigningError, match="already signed"):
        check_can_sign(**{**ok, "signed_at": SIGNED})
    with pytest.raises(SigningError, match="mark the outcome"):
        check_can_sign(**{**ok, "outcome_marked": False})
    with pytest.raises(SigningError, match="save the plan first$"):
        check_can_sign(**{**ok, "plan_saved": False})
    check_can_sign(**ok)


def test_sign_blockers_name_every_missing_step():
    assert sign_blockers(plan_saved=True, outcome_marked=True) == ()
    assert sign_blockers(plan_saved=False, outcome_marked=True) == ("save the plan first",)
    assert sign_blockers(plan_saved=False, outcome_marked=False) == (
        "save the plan first",
        "mark the outcome first (attendance for every client, or a status)",
    )


def test_attendance_is_for_direct_and_status_for_indirect():
    with pytest.raises(ValidationError) as err:
        check_outcome_fits(direct=False, attendance_given=True, status_given=False)
    assert err.value.field == "attendance"
    with pytest.raises(ValidationError) as err:
        check_outcome_fits(direct=True, attendance_given=False, status_given=True)
    assert err.value.field == "status"


def test_group_outcome_needs_every_client_marked():
    assert not outcome_marked(True, [Attendance.ATTENDED, None], None)
    assert outcome_marked(True, [Attendance.ATTENDED, Attendance.NO_SHOW], None)


def test_third_dot_needs_signature_and_any_status_for_indirect():
    kwargs = dict(details_valid=True, plan_saved=True, direct=False, attendance=[])
    assert not dots_for(**kwargs, status=None, signed=True).outcome
    assert not dots_for(**kwargs, status=SessionStatus.COMPLETED, signed=False).outcome
    for status in SessionStatus:
        assert dots_for(**kwargs, status=status, signed=True).complete


def test_reopened_event_opens_the_next_step_to_do():
    d = dots_for(
        details_valid=True,
        plan_saved=False,
        direct=True,
        attendance=[None],
        status=None,
        signed=False,
    )
    assert next_step(d) is Step.PLAN
    d = dots_for(
        details_valid=True,
        plan_saved=True,
        direct=True,
        attendance=[None],
        status=None,
        signed=False,
    )
    assert next_step(d) is Step.OUTCOME


def test_a_time_skipped_by_the_clocks_going_forward_is_refused():
    with pytest.raises(ValidationError, match="does not exist") as err:
        to_instant(datetime(2026, 3, 29, 1, 30), LONDON)
    assert err.value.field == "start"


def test_a_time_that_happens_twice_is_refused():
    with pytest.raises(ValidationError, match="happens twice"):
        to_instant(datetime(2026, 10, 25, 1, 30), LONDON, "end")


def test_local_keys_follow_the_practice_zone():
    keys = LocalKeys.of(datetime(2026, 8, 31, 23, 30, tzinfo=UTC), LONDON)
    assert keys.local_date == date(2026, 9, 1)
    assert keys.month_key == 202609 and keys.weekday == 1
    assert keys.week_start == date(2026, 8, 31)


def test_weekly_series_keeps_wall_clock_time_across_daylight_saving():
    starts = occurrences(datetime(2026, 3, 16, 9, 0), Recurrence(1, count=4))
    instants = [to_instant(s, LONDON) for s in starts]
    assert [s.hour for s in starts] == [9, 9, 9, 9]
    assert [i.hour for i in instants] == [9, 9, 8, 8]  # GMT, then BST from 29 March


def test_fortnightly_until_a_date():
    starts = occurrences(datetime(2026, 1, 5, 9, 0), Recurrence(2, until=date(2026, 2, 16)))
    assert [s.day for s in starts] == [5, 19, 2, 16]


def test_series_rule_needs_count_or_until():
    with pytest.raises(ValidationError, match="either"):
        Recurrence(1)
    with pytest.raises(ValidationError):
        Recurrence(3, count=2)


def _details(**kw):
    base = dict(
        kind=EventKind.CLIENT_SESSION,
        clinician_id=1,
        start=datetime(2026, 5, 4, 9, tzinfo=UTC),
        end=datetime(2026, 5, 4, 10, tzinfo=UTC),
        service_id=1,
        client_ids=(1,),
        direct=True,
    )
    base.update(kw)
    return EventDetails(**base)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"end": datetime(2026, 5, 4, 8, tzinfo=UTC)}, "end"),
        ({"service_id": None}, "service"),
        ({"client_ids": ()}, "clients"),
        ({"direct": None}, "direct"),
        ({"third_party_ids": (5,),
          "reminders": (ReminderRequest("third_party", 5, "browser", 60),)}, "reminders"),
        ({"kind": EventKind.ADMIN}, "clients"),
        ({"video_link": "javascript:alert(1)", "kind": EventKind.VIDEO_SESSION}, "video_link"),
        ({"reminders": (ReminderRequest("client", 9, "email", 60),)}, "reminders"),
        ({"title": "x" * 500}, "title"),
    ],
)
def test_bad_details_are_refused_naming_the_field(changes, field):
    with pytest.raises(ValidationError) as err:
        validate_details(_details(**changes))
    assert err.value.field == field


def test_group_session_takes_several_clients():
    d = validate_details(_details(kind=EventKind.GROUP_SESSION, client_ids=(1, 2, 2, 3)))
    assert d.client_ids == (1, 2, 3)


@pytest.mark.parametrize(
    ("hours", "bucket"),
    [
        (0, "<24 h"),
        (23.9, "<24 h"),
        (24, "24-48 h"),
        (48, "2-7 d"),
        (7 * 24, "7-14 d"),
        (14 * 24, ">14 d"),
        (9999, ">14 d"),
    ],
)
def test_backlog_age_buckets(hours, bucket):
    assert bucket_for(hours) == bucket


def test_text_that_is_not_valid_unicode_is_refused_by_field():
    from thera_analytics.domain.details import clean_text

    with pytest.raises(ValidationError) as err:
        clean_text("half a pair \ud800", "note")
    assert err.value.field == "note"


def test_a_reminder_whose_time_has_passed_is_due_at_once_while_the_session_is_ahead():
    start = datetime(2026, 6, 2, 10, 0, tzinfo=UTC)
    assert reminder_due_at(start, 60, start - timedelta(days=1)) == start - timedelta(hours=1)
    late = start - timedelta(minutes=20)
    assert reminder_due_at(start, 24 * 60, late) == late


def test_a_reminder_for_a_session_that_has_started_is_refused_by_field():
    start = datetime(2026, 6, 2, 10, 0, tzinfo=UTC)
    for now in (start, start + timedelta(days=2)):
        with pytest.raises(ValidationError) as err:
            reminder_due_at(start, 60, now)
        assert err.value.field == "reminders"
