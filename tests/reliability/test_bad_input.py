"""Bad input: every refusal of SPEC.md's "Failure and bad input" names its field and changes
nothing, through every use case it applies to; huge text (1 MB refused by field, 20,000
characters stored whole).

The other kinds of bad input have their own modules: odd text in every text field
(``test_odd_text.py``), the ``thera`` command line (``test_command_line_input.py``) and the
use cases under random arguments (``test_use_case_fuzz.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest

from tests.factories import TestPractice as TP
from tests.factories import table_contents
from tests.helpers.events import new_session
from tests.helpers.odd_input import FOLD, GAP, D
from thera_analytics.domain.actor import Actor
from thera_analytics.domain.details import MAX_TEXT, ReminderRequest
from thera_analytics.domain.errors import (
    ConflictError,
    LockedError,
    NotFoundError,
    PermissionDenied,
    PracticeError,
    SigningError,
    ValidationError,
)
from thera_analytics.domain.kinds import EventKind
from thera_analytics.domain.outcome_change import OutcomeChange
from thera_analytics.domain.recurrence import Recurrence
from thera_analytics.service import accounts, catalog, portal
from thera_analytics.service.scheduling import OverlapError

MB = 1_000_000


def _indirect(tp: TP) -> tuple[int, int]:
    return new_session(tp, kind=EventKind.CLIENT_TEAM_MEETING, direct=False)


def _after_session(tp: TP, event_id: int) -> None:
    tp.clock.set(tp.practice.event(tp.ann, event_id).end)


def _signed(tp: TP) -> tuple[int, int]:
    event_id, v = new_session(tp)
    _after_session(tp, event_id)
    v = tp.practice.save_outcome(tp.ann, event_id, v,
        OutcomeChange.of(attendance={tp.clients[0]: "attended"},
                                 note="signed note", homework="hw", homework_enabled=True))
    v = tp.practice.save_plan(tp.ann, event_id, v, "the plan")
    return event_id, tp.practice.sign(tp.ann, event_id, v)


def _locked(tp: TP) -> tuple[int, int]:
    event_id, v = _signed(tp)
    tp.clock.advance(timedelta(hours=24))
    return event_id, v


def _signed_indirect(tp: TP) -> tuple[int, int]:
    event_id, v = _indirect(tp)
    _after_session(tp, event_id)
    v = tp.practice.record_status(tp.ann, event_id, v, "completed")
    v = tp.practice.save_plan(tp.ann, event_id, v, "the plan")
    return event_id, tp.practice.sign(tp.ann, event_id, v)


def _locked_indirect(tp: TP) -> tuple[int, int]:
    event_id, v = _signed_indirect(tp)
    tp.clock.advance(timedelta(hours=25))
    return event_id, v


def _stale(tp: TP) -> tuple[int, int]:
    """An event saved by someone else since version 1 was read."""
    event_id, v = new_session(tp)
    tp.practice.save_plan(tp.ann, event_id, v, "saved first")
    return event_id, v


def _cancelled(tp: TP) -> tuple[int, int]:
    event_id, v = new_session(tp)
    return event_id, tp.practice.cancel(tp.ann, event_id, v, reason="forgot") and v + 1


def _marked(tp: TP) -> tuple[int, int]:
    event_id, v = new_session(tp)
    return event_id, tp.practice.record_attendance(tp.ann, event_id, v,
                                                   {tp.clients[0]: "attended"})


def _sign_before_start(tp: TP) -> Callable[[], object]:
    event_id, v = _marked(tp)
    return lambda: tp.practice.sign(tp.ann, event_id, v)


def _sign_by(tp: TP, actor: Actor) -> Callable[[], object]:
    event_id, v = _marked(tp)
    _after_session(tp, event_id)
    return lambda: tp.practice.sign(actor, event_id, v)


def _marked_made_indirect(tp: TP) -> Callable[[], object]:
    event_id, v = _marked(tp)
    return lambda: tp.practice.update_details(tp.ann, event_id, v, tp.details(direct=False))



# Each case does its set-up and returns the one call that must be refused.
Case = Callable[[TP], Callable[[], object]]


def _refusals() -> list[tuple[str, Case, type[Exception], str]]:
    p = lambda tp: tp.practice  # noqa: E731 - keeps the table below on one line per case
    cases: list[tuple[str, Case, type[Exception], str]] = [
        # end before start
        ("end before start (create)", lambda tp: lambda: tp.create(end=D(2026, 6, 1, 9)),
         ValidationError, "end"),
        ("end equal to start (create)", lambda tp: lambda: tp.create(end=D(2026, 6, 1, 10)),
         ValidationError, "end"),
        ("end before start (details)", lambda tp: (lambda e: lambda: p(tp).update_details(
            tp.ann, e[0], e[1], tp.details(end=D(2026, 6, 1, 9))))(new_session(tp)),
         ValidationError, "end"),
        ("end before start (reschedule)", lambda tp: (lambda e: lambda: p(tp).reschedule(
            tp.ann, e[0], e[1], D(2026, 6, 2, 10), D(2026, 6, 2, 9)))(new_session(tp)),
         ValidationError, "end"),
        ("longer than a day", lambda tp: lambda: tp.create(end=D(2026, 6, 2, 10, 1)),
         ValidationError, "end"),
        # unknown or missing references
        ("unknown client (create)", lambda tp: lambda: tp.create(client_ids=(999,)),
         NotFoundError, "clients"),
        ("unknown client (details)", lambda tp: (lambda e: lambda: p(tp).update_details(
            tp.ann, e[0], e[1], tp.details(client_ids=(999,))))(new_session(tp)),
         NotFoundError, "clients"),
        ("unknown service (create)", lambda tp: lambda: tp.create(service_id=999),
         NotFoundError, "service"),
        ("unknown service (details)", lambda tp: (lambda e: lambda: p(tp).update_details(
            tp.ann, e[0], e[1], tp.details(service_id=999)))(new_session(tp)),
         NotFoundError, "service"),
        ("unknown team member", lambda tp: lambda: tp.create(team_member_ids=(999,)),
         NotFoundError, "team_members"),
        ("unknown third party", lambda tp: lambda: tp.create(third_party_ids=(999,)),
         NotFoundError, "third_parties"),
        ("missing service", lambda tp: lambda: tp.create(service_id=None),
         ValidationError, "service"),
        ("missing client", lambda tp: lambda: tp.create(client_ids=()),
         ValidationError, "clients"),
        ("direct or indirect unsaid", lambda tp: lambda: tp.create(direct=None),
         ValidationError, "direct"),
        ("clients on a non-client event", lambda tp: lambda: tp.create(
            kind=EventKind.ADMIN, service_id=None), ValidationError, "clients"),
        ("service on a non-client event", lambda tp: lambda: tp.create(
            kind=EventKind.TEAM_MEETING, client_ids=()), ValidationError, "service"),
        ("unknown event (read)", lambda tp: lambda: p(tp).event(tp.ann, 999),
         NotFoundError, "event"),
        ("unknown event (plan)", lambda tp: lambda: p(tp).save_plan(tp.ann, 999, 1, "x"),
         NotFoundError, "event"),
        ("unknown event (outcome)", lambda tp: lambda: p(tp).save_outcome(
            tp.ann, 999, 1, OutcomeChange.of(note="x")), NotFoundError, "event"),
        ("unknown event (sign)", lambda tp: lambda: p(tp).sign(tp.ann, 999, 1),
         NotFoundError, "event"),
        ("unknown event (comment)", lambda tp: lambda: p(tp).add_comment(tp.ann, 999, "x"),
         NotFoundError, "event"),
        ("unknown event (cancel)", lambda tp: lambda: p(tp).cancel(tp.ann, 999, 1, reason="forgot"),
         NotFoundError, "event"),
        ("unknown event (reschedule)", lambda tp: lambda: p(tp).reschedule(
            tp.ann, 999, 1, D(2026, 6, 2, 10), D(2026, 6, 2, 11)), NotFoundError, "event"),
        # attendance and status
        ("attendance on an indirect session", lambda tp: (lambda e: lambda: p(
            tp).record_attendance(tp.ann, e[0], e[1], {tp.clients[0]: "attended"}))(
            _indirect(tp)), ValidationError, "attendance"),
        ("status on a direct session", lambda tp: (lambda e: lambda: p(tp).record_status(
            tp.ann, e[0], e[1], "completed"))(new_session(tp)), ValidationError, "status"),
        ("unknown attendance value", lambda tp: (lambda e: lambda: p(tp).record_attendance(
            tp.ann, e[0], e[1], {tp.clients[0]: "maybe"}))(new_session(tp)),
         ValidationError, "attendance"),
        ("unknown status value", lambda tp: (lambda e: lambda: p(tp).record_status(
            tp.ann, e[0], e[1], "done"))(_indirect(tp)), ValidationError, "status"),
        ("attendance for a client not in the session", lambda tp: (lambda e: lambda: p(
            tp).record_attendance(tp.ann, e[0], e[1], {tp.clients[2]: "attended"}))(
            new_session(tp)), ValidationError, "attendance"),
        ("shared homework not enabled", lambda tp: (lambda e: lambda: p(tp).save_outcome(
            tp.ann, e[0], e[1],
                OutcomeChange.of(homework="x", homework_shared=True)))(new_session(tp)),
         ValidationError, "homework_shared"),
        ("outcome on a non-client event", lambda tp: (lambda e: lambda: p(tp).save_outcome(
            tp.ann, e[0], e[1], OutcomeChange.of(note="x")))(new_session(
                tp, kind=EventKind.ADMIN, service_id=None, client_ids=(), direct=None)),
         ValidationError, "outcome"),
        ("plan on a non-client event", lambda tp: (lambda e: lambda: p(tp).save_plan(
            tp.ann, e[0], e[1], "x"))(new_session(
                tp, kind=EventKind.ADMIN, service_id=None, client_ids=(), direct=None)),
         ValidationError, "plan"),
        # signing
        ("signing twice", lambda tp: (lambda e: lambda: p(tp).sign(tp.ann, *e))(_signed(tp)),
         SigningError, "signature"),
        ("signing without an outcome", lambda tp: (lambda e: (_after_session(tp, e[0]), lambda:
            p(tp).sign(tp.ann, *e))[1])(new_session(tp)), SigningError, "signature"),
        ("signing an indirect session without a status", lambda tp: (lambda e: (
            _after_session(tp, e[0]), lambda: p(tp).sign(tp.ann, *e))[1])(_indirect(tp)),
         SigningError, "signature"),
        ("signing before the session started", _sign_before_start, SigningError, "signature"),
        ("signing by another clinician", lambda tp: _sign_by(tp, tp.ben), SigningError,
         "signature"),
        ("signing by the manager", lambda tp: _sign_by(tp, tp.manager), SigningError,
         "signature"),
        # the 24-hour rule: every change to a locked note
        ("locked: note", lambda tp: (lambda e: lambda: p(tp).save_outcome(
            tp.ann, *e, OutcomeChange.of(note="late")))(_locked(tp)), LockedError, "outcome"),
        ("locked: homework", lambda tp: (lambda e: lambda: p(tp).save_outcome(
            tp.ann, *e, OutcomeChange.of(homework="late")))(_locked(tp)), LockedError, "outcome"),
        ("locked: homework sharing", lambda tp: (lambda e: lambda: p(tp).save_outcome(
            tp.ann, *e,
                OutcomeChange.of(homework_shared=True)))(_locked(tp)), LockedError, "outcome"),
        ("locked: attendance", lambda tp: (lambda e: lambda: p(tp).record_attendance(
            tp.ann, *e, {tp.clients[0]: "no_show"}))(_locked(tp)), LockedError, "outcome"),
        ("locked: status", lambda tp: (lambda e: lambda: p(tp).record_status(
            tp.ann, *e, "on_hold"))(_locked_indirect(tp)), LockedError, "outcome"),
        ("locked: plan", lambda tp: (lambda e: lambda: p(tp).save_plan(
            tp.ann, *e, "late"))(_locked(tp)), LockedError, "plan"),
        ("locked: details", lambda tp: (lambda e: lambda: p(tp).update_details(
            tp.ann, *e, tp.details(title="late")))(_locked(tp)), LockedError, "details"),
        ("locked: reschedule", lambda tp: (lambda e: lambda: p(tp).reschedule(
            tp.ann, *e, D(2026, 6, 3, 10), D(2026, 6, 3, 11)))(_locked(tp)),
         LockedError, "start"),
        ("locked: cancel", lambda tp: (lambda e: lambda: p(tp).cancel(tp.ann, *e, reason="forgot"))(
            _locked(tp)), LockedError, "cancel"),
        ("locked: sign again", lambda tp: (lambda e: lambda: p(tp).sign(tp.ann, *e))(
            _locked(tp)), SigningError, "signature"),
        ("signed: attendance cleared", lambda tp: (lambda e: lambda: p(tp).record_attendance(
            tp.ann, *e, {tp.clients[0]: None}))(_signed(tp)), ValidationError, "attendance"),
        ("signed: status cleared", lambda tp: (lambda e: lambda: p(tp).save_outcome(
            tp.ann, *e,
                OutcomeChange.of(status=None)))(_signed_indirect(tp)), ValidationError, "status"),
        # times that do not exist, or exist twice, in the practice's zone
        ("nonexistent start (create)", lambda tp: lambda: tp.create(start=GAP[0], end=GAP[1]),
         ValidationError, "start"),
        ("nonexistent end (create)", lambda tp: lambda: tp.create(
            start=D(2026, 3, 29, 0, 30), end=GAP[1]), ValidationError, "end"),
        ("ambiguous start (create)", lambda tp: lambda: tp.create(start=FOLD[0], end=FOLD[1]),
         ValidationError, "start"),
        ("nonexistent start (reschedule)", lambda tp: (lambda e: lambda: p(tp).reschedule(
            tp.ann, *e, *GAP))(new_session(tp)), ValidationError, "start"),
        ("ambiguous start (reschedule)", lambda tp: (lambda e: lambda: p(tp).reschedule(
            tp.ann, *e, *FOLD))(new_session(tp)), ValidationError, "start"),
        ("nonexistent start (details)", lambda tp: (lambda e: lambda: p(tp).update_details(
            tp.ann, *e, tp.details(start=GAP[0], end=GAP[1])))(new_session(tp)),
         ValidationError, "start"),
        # a stale version: someone else saved first
        ("stale version (details)", lambda tp: (lambda e: lambda: p(tp).update_details(
            tp.ann, *e, tp.details(title="old copy")))(_stale(tp)), ConflictError, "version"),
        ("stale version (reschedule)", lambda tp: (lambda e: lambda: p(tp).reschedule(
            tp.ann, *e, D(2026, 6, 3, 10), D(2026, 6, 3, 11)))(_stale(tp)),
         ConflictError, "version"),
        ("stale version (cancel)", lambda tp: (
            lambda e: lambda: p(tp).cancel(tp.ann, *e, reason="forgot"))(
            _stale(tp)), ConflictError, "version"),
        ("stale version (plan)", lambda tp: (lambda e: lambda: p(tp).save_plan(
            tp.ann, *e, "old copy"))(_stale(tp)), ConflictError, "version"),
        ("stale version (outcome)", lambda tp: (lambda e: lambda: p(tp).save_outcome(
            tp.ann, *e, OutcomeChange.of(note="old copy")))(_stale(tp)), ConflictError, "version"),
        ("stale version (sign)", lambda tp: (lambda e: (_after_session(tp, e[0]), p(
            tp).record_attendance(tp.ann, e[0], e[1] + 1, {tp.clients[0]: "attended"}),
            lambda: p(tp).sign(tp.ann, *e))[2])(_stale(tp)), ConflictError, "version"),
        # other refusals of the rules
        ("overlapping booking", lambda tp: (tp.create(), lambda: tp.create(
            start=D(2026, 6, 1, 10, 30), end=D(2026, 6, 1, 11)))[1], OverlapError, "start"),
        ("editing a cancelled event", lambda tp: (lambda e: lambda: p(tp).save_plan(
            tp.ann, *e, "x"))(_cancelled(tp)), ValidationError, "plan"),
        ("client event turned non-client", lambda tp: (lambda e: lambda: p(
            tp).update_details(tp.ann, *e, tp.details(
                kind=EventKind.ADMIN, service_id=None, client_ids=(), direct=None)))(
            new_session(tp)), ValidationError, "kind"),
        ("event handed to another clinician", lambda tp: (lambda e: lambda: p(
            tp).update_details(tp.ann, *e, tp.details(clinician_id=tp.ben.clinician_id)))(
            new_session(tp)), ValidationError, "clinician"),
        ("marked session made indirect", _marked_made_indirect, ValidationError, "direct"),
        ("join link that is not https", lambda tp: lambda: tp.create(
            kind=EventKind.VIDEO_SESSION, video_link="javascript:alert(1)"),
         ValidationError, "video_link"),
        ("join link on a face-to-face session", lambda tp: lambda: tp.create(
            video_link="https://meet.example.org/x"), ValidationError, "video_link"),
        ("reminder lead time negative", lambda tp: lambda: tp.create(reminders=(
            ReminderRequest("client", tp.clients[0], "email", -5),)),
         ValidationError, "reminders"),
        ("reminder to a client not in the session", lambda tp: lambda: tp.create(reminders=(
            ReminderRequest("client", tp.clients[1], "email", 60),)),
         ValidationError, "reminders"),
        ("reminder on an unknown channel", lambda tp: lambda: tp.create(reminders=(
            ReminderRequest("client", tp.clients[0], "pigeon", 60),)),
         ValidationError, "reminders"),
        ("reminders on a non-client event", lambda tp: lambda: tp.create(
            kind=EventKind.ADMIN, service_id=None, client_ids=(), direct=None,
            reminders=(ReminderRequest("client", tp.clients[0], "email", 60),)),
         ValidationError, "reminders"),
        ("series of 0 sessions", lambda tp: lambda: p(tp).create_event(
            tp.ann, tp.details(), repeat=Recurrence(1, count=0)), ValidationError, "count"),
        ("series ending before it starts", lambda tp: lambda: p(tp).create_event(
            tp.ann, tp.details(), repeat=Recurrence(1, until=date(2026, 5, 1))),
         ValidationError, "until"),
        ("empty comment", lambda tp: (lambda e: lambda: p(tp).add_comment(
            tp.ann, e[0], "  \n "))(new_session(tp)), ValidationError, "comment"),
        # people, services, users and the practice
        ("client name empty", lambda tp: lambda: catalog.add_client(tp.db, "  ", tp.clock()),
         ValidationError, "name"),
        ("client email invalid", lambda tp: lambda: catalog.add_client(
            tp.db, "Zed", tp.clock(), email="<script>@x"), ValidationError, "email"),
        ("service already exists", lambda tp: lambda: catalog.add_service(
            tp.db, "Individual therapy", 50, tp.clock()), ValidationError, "name"),
        ("service of 0 minutes", lambda tp: lambda: catalog.add_service(
            tp.db, "Nothing", 0, tp.clock()), ValidationError, "default_minutes"),
        ("third party of an unknown client", lambda tp: lambda: catalog.add_third_party(
            tp.db, 999, "Dr No", "GP", tp.clock()), NotFoundError, "client"),
        ("client adds a contact", lambda tp: lambda: catalog.add_third_party(
            tp.db, tp.clients[0], "Mum", "parent", tp.clock(), actor=tp.client_actor),
         PermissionDenied, "third_party"),
        ("user name with markup", lambda tp: lambda: accounts.create_user(
            tp.db, username="<b>x</b>", password="long enough", role="manager",
            display_name="X", now=tp.clock()), ValidationError, "username"),
        ("user name taken", lambda tp: lambda: accounts.create_user(
            tp.db, username="ANN", password="long enough", role="manager",
            display_name="X", now=tp.clock()), ValidationError, "username"),
        ("password too short", lambda tp: lambda: accounts.create_user(
            tp.db, username="newbie", password="abc", role="manager", display_name="X",
            now=tp.clock()), ValidationError, "password"),
        ("clinician user without a clinician", lambda tp: lambda: accounts.create_user(
            tp.db, username="newbie", password="long enough", role="clinician",
            display_name="X", now=tp.clock()), ValidationError, "clinician_id"),
        ("client user of an unknown client", lambda tp: lambda: accounts.create_user(
            tp.db, username="newbie", password="long enough", role="client",
            display_name="X", now=tp.clock(), client_id=999), NotFoundError, "client_id"),
        ("practice created twice", lambda tp: lambda: tp.db.init_practice(
            "Again", "Europe/London", tp.clock()), ValidationError, "practice"),
        ("practice in an unknown zone", lambda tp: lambda: tp.db.init_practice(
            "Again", "Mars/Olympus", tp.clock()), ValidationError, "time_zone"),
        ("someone else's notification marked read", lambda tp: lambda: portal.mark_read(
            tp.db, tp.client_actor, tp.clock(), [999]), NotFoundError, "notification"),
    ]
    # Text past its limit, and NUL characters, in every text field of the use cases.
    texts: list[tuple[str, Callable[[TP, str], Callable[[], object]], str]] = [
        ("title", lambda tp, s: lambda: tp.create(title=s), "title"),
        ("plan", lambda tp, s: (lambda e: lambda: p(tp).save_plan(tp.ann, *e, s))(
            new_session(tp)), "plan"),
        ("previous homework", lambda tp, s: (lambda e: lambda: p(tp).save_plan(
            tp.ann, *e, "p", previous_homework=s))(new_session(tp)), "previous_homework"),
        ("previous note", lambda tp, s: (lambda e: lambda: p(tp).save_plan(
            tp.ann, *e, "p", previous_note=s))(new_session(tp)), "previous_note"),
        ("note", lambda tp, s: (lambda e: lambda: p(tp).save_outcome(
            tp.ann, *e, OutcomeChange.of(note=s)))(
            new_session(tp)), "note"),
        ("homework", lambda tp, s: (lambda e: lambda: p(tp).save_outcome(
            tp.ann, *e, OutcomeChange.of(homework=s)))(new_session(tp)), "homework"),
        ("amended note", lambda tp, s: (lambda e: lambda: p(tp).save_outcome(
            tp.ann, *e, OutcomeChange.of(note=s)))(_signed(tp)), "note"),
        ("comment", lambda tp, s: (lambda e: lambda: p(tp).add_comment(tp.ann, e[0], s))(
            new_session(tp)), "comment"),
        ("comment on a locked note", lambda tp, s: (lambda e: lambda: p(tp).add_comment(
            tp.ann, e[0], s))(_locked(tp)), "comment"),
        ("client name", lambda tp, s: lambda: catalog.add_client(tp.db, s, tp.clock()), "name"),
        ("clinician name", lambda tp, s: lambda: catalog.add_clinician(tp.db, s, tp.clock()),
         "name"),
        ("service name", lambda tp, s: lambda: catalog.add_service(tp.db, s, 50, tp.clock()),
         "name"),
        ("third-party relationship", lambda tp, s: lambda: catalog.add_third_party(
            tp.db, tp.clients[0], "Dr Who", s, tp.clock()), "relationship"),
        ("display name", lambda tp, s: lambda: accounts.create_user(
            tp.db, username="newbie", password="long enough", role="manager",
            display_name=s, now=tp.clock()), "display_name"),
    ]
    for name, make, field in texts:
        cases.append((f"1 MB {name}", lambda tp, m=make: m(tp, "x" * MB), ValidationError,
                      field))
        cases.append((f"NUL in {name}", lambda tp, m=make: m(tp, "before\x00after"),
                      ValidationError, field))
    return cases


REFUSALS = _refusals()


@pytest.mark.parametrize(("action", "error", "field"), [c[1:] for c in REFUSALS],
                         ids=[c[0] for c in REFUSALS])
def test_a_refusal_names_its_field_and_changes_nothing(
        tp: TP, action: Case, error: type[Exception], field: str) -> None:
    refused = action(tp)  # the set-up runs here; the returned call is the one refused
    before = table_contents(tp.db)
    with pytest.raises(error) as caught:
        refused()
    assert isinstance(caught.value, PracticeError)
    assert caught.value.field == field, str(caught.value)
    assert len(str(caught.value)) > len(field) + 6, "say why, not just where"
    assert table_contents(tp.db) == before


def test_20000_characters_are_stored_whole_in_every_long_text(tp: TP) -> None:
    long_text = ("0123456789abcdefghi\n" * (MAX_TEXT // 20))[:MAX_TEXT]
    assert len(long_text) == MAX_TEXT
    event_id, v = new_session(tp)
    v = tp.practice.save_plan(tp.ann, event_id, v, long_text, previous_homework=long_text,
                              previous_note=long_text)
    v = tp.practice.save_outcome(tp.ann, event_id, v,
        OutcomeChange.of(note=long_text, homework=long_text))
    tp.practice.add_comment(tp.ann, event_id, long_text.strip())
    rec = tp.practice.event(tp.manager, event_id)
    for value in (rec.plan_text, rec.previous_homework, rec.previous_note, rec.note,
                  rec.homework):
        assert value == long_text
    assert rec.comments[-1].body == long_text.strip()
