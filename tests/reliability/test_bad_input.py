"""Bad input: every refusal names its field and changes nothing; odd text is stored verbatim.

- every refusal of SPEC.md's "Failure and bad input", through every use case it applies to;
- the ``thera`` command line with malformed arguments, missing, empty and garbage files;
- huge text (1 MB refused by field, 20,000 characters stored), odd Unicode, and HTML, script,
  SQL and template syntax in every text field: refused by field or stored byte-identical;
- a hypothesis state machine calling the use cases with random, often invalid, arguments: only
  ``PracticeError`` may escape, and a refusal leaves every table as it was.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from html import escape
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from tests.conftest import _demo_hash
from tests.factories import TestPractice as TP
from tests.factories import derived_mismatches, make_practice, table_contents
from thera_analytics.domain.actor import Actor, Role
from thera_analytics.domain.details import MAX_TEXT, EventDetails, ReminderRequest
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
from thera_analytics.store.database import Database

ROOT = Path(__file__).resolve().parents[2]
MB = 1_000_000




# -- set-ups shared by the refusals --------------------------------------------------------------

def _session(tp: TP, **kw: Any) -> tuple[int, int]:
    event_id = tp.create(**kw)
    return event_id, tp.version(event_id)


def _indirect(tp: TP) -> tuple[int, int]:
    return _session(tp, kind=EventKind.CLIENT_TEAM_MEETING, direct=False)


def _after_session(tp: TP, event_id: int) -> None:
    tp.clock.set(tp.practice.event(tp.ann, event_id).end)


def _signed(tp: TP) -> tuple[int, int]:
    event_id, v = _session(tp)
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
    event_id, v = _session(tp)
    tp.practice.save_plan(tp.ann, event_id, v, "saved first")
    return event_id, v


def _cancelled(tp: TP) -> tuple[int, int]:
    event_id, v = _session(tp)
    return event_id, tp.practice.cancel(tp.ann, event_id, v, reason="forgot") and v + 1


def _marked(tp: TP) -> tuple[int, int]:
    event_id, v = _session(tp)
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


D = datetime  # wall-clock times in the practice's zone (Europe/London)
GAP = (D(2026, 3, 29, 1, 15), D(2026, 3, 29, 1, 45))  # the clocks go forward at 01:00
FOLD = (D(2026, 10, 25, 1, 15), D(2026, 10, 25, 1, 45))  # 01:00-02:00 happens twice

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
            tp.ann, e[0], e[1], tp.details(end=D(2026, 6, 1, 9))))(_session(tp)),
         ValidationError, "end"),
        ("end before start (reschedule)", lambda tp: (lambda e: lambda: p(tp).reschedule(
            tp.ann, e[0], e[1], D(2026, 6, 2, 10), D(2026, 6, 2, 9)))(_session(tp)),
         ValidationError, "end"),
        ("longer than a day", lambda tp: lambda: tp.create(end=D(2026, 6, 2, 10, 1)),
         ValidationError, "end"),
        # unknown or missing references
        ("unknown client (create)", lambda tp: lambda: tp.create(client_ids=(999,)),
         NotFoundError, "clients"),
        ("unknown client (details)", lambda tp: (lambda e: lambda: p(tp).update_details(
            tp.ann, e[0], e[1], tp.details(client_ids=(999,))))(_session(tp)),
         NotFoundError, "clients"),
        ("unknown service (create)", lambda tp: lambda: tp.create(service_id=999),
         NotFoundError, "service"),
        ("unknown service (details)", lambda tp: (lambda e: lambda: p(tp).update_details(
            tp.ann, e[0], e[1], tp.details(service_id=999)))(_session(tp)),
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
            tp.ann, e[0], e[1], "completed"))(_session(tp)), ValidationError, "status"),
        ("unknown attendance value", lambda tp: (lambda e: lambda: p(tp).record_attendance(
            tp.ann, e[0], e[1], {tp.clients[0]: "maybe"}))(_session(tp)),
         ValidationError, "attendance"),
        ("unknown status value", lambda tp: (lambda e: lambda: p(tp).record_status(
            tp.ann, e[0], e[1], "done"))(_indirect(tp)), ValidationError, "status"),
        ("attendance for a client not in the session", lambda tp: (lambda e: lambda: p(
            tp).record_attendance(tp.ann, e[0], e[1], {tp.clients[2]: "attended"}))(
            _session(tp)), ValidationError, "attendance"),
        ("shared homework not enabled", lambda tp: (lambda e: lambda: p(tp).save_outcome(
            tp.ann, e[0], e[1],
                OutcomeChange.of(homework="x", homework_shared=True)))(_session(tp)),
         ValidationError, "homework_shared"),
        ("outcome on a non-client event", lambda tp: (lambda e: lambda: p(tp).save_outcome(
            tp.ann, e[0], e[1], OutcomeChange.of(note="x")))(_session(
                tp, kind=EventKind.ADMIN, service_id=None, client_ids=(), direct=None)),
         ValidationError, "outcome"),
        ("plan on a non-client event", lambda tp: (lambda e: lambda: p(tp).save_plan(
            tp.ann, e[0], e[1], "x"))(_session(
                tp, kind=EventKind.ADMIN, service_id=None, client_ids=(), direct=None)),
         ValidationError, "plan"),
        # signing
        ("signing twice", lambda tp: (lambda e: lambda: p(tp).sign(tp.ann, *e))(_signed(tp)),
         SigningError, "signature"),
        ("signing without an outcome", lambda tp: (lambda e: (_after_session(tp, e[0]), lambda:
            p(tp).sign(tp.ann, *e))[1])(_session(tp)), SigningError, "signature"),
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
            tp.ann, *e, *GAP))(_session(tp)), ValidationError, "start"),
        ("ambiguous start (reschedule)", lambda tp: (lambda e: lambda: p(tp).reschedule(
            tp.ann, *e, *FOLD))(_session(tp)), ValidationError, "start"),
        ("nonexistent start (details)", lambda tp: (lambda e: lambda: p(tp).update_details(
            tp.ann, *e, tp.details(start=GAP[0], end=GAP[1])))(_session(tp)),
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
            _session(tp)), ValidationError, "kind"),
        ("event handed to another clinician", lambda tp: (lambda e: lambda: p(
            tp).update_details(tp.ann, *e, tp.details(clinician_id=tp.ben.clinician_id)))(
            _session(tp)), ValidationError, "clinician"),
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
            tp.ann, e[0], "  \n "))(_session(tp)), ValidationError, "comment"),
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
            _session(tp)), "plan"),
        ("previous homework", lambda tp, s: (lambda e: lambda: p(tp).save_plan(
            tp.ann, *e, "p", previous_homework=s))(_session(tp)), "previous_homework"),
        ("previous note", lambda tp, s: (lambda e: lambda: p(tp).save_plan(
            tp.ann, *e, "p", previous_note=s))(_session(tp)), "previous_note"),
        ("note", lambda tp, s: (lambda e: lambda: p(tp).save_outcome(tp.ann, *e,
            OutcomeChange.of(note=s)))(
            _session(tp)), "note"),
        ("homework", lambda tp, s: (lambda e: lambda: p(tp).save_outcome(
            tp.ann, *e, OutcomeChange.of(homework=s)))(_session(tp)), "homework"),
        ("amended note", lambda tp, s: (lambda e: lambda: p(tp).save_outcome(
            tp.ann, *e, OutcomeChange.of(note=s)))(_signed(tp)), "note"),
        ("comment", lambda tp, s: (lambda e: lambda: p(tp).add_comment(tp.ann, e[0], s))(
            _session(tp)), "comment"),
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
    event_id, v = _session(tp)
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


# -- odd text in every text field ---------------------------------------------------------------

PAYLOADS = {
    "script tag": "<script>alert('x')</script>",
    "image onerror": '<img src=x onerror="alert(1)">',
    "attribute breakout": '"><svg/onload=alert(1)>',
    "html entities": "&lt;b&gt; &amp; &#60;script&#62;",
    "sql quote": "O'Brien'; DROP TABLE events; --",
    "sql tautology": "' OR '1'='1' --",
    "sql on audit": "x'); DELETE FROM audit_log; --",
    "placeholders": "? $1 %s %(name)s {0} :name",
    "templates": "{{7*7}} ${7*7} {% raw %} <%= 7*7 %>",
    "backslashes": "C:\\new\\table \\x00 \\n",
    "right-to-left": "\u202eevil\u202c and \u200fשלום\u200f مرحبا",
    "emoji": "👩🏽‍⚕️🧠 🏳️‍🌈 💬",
    "combining marks": "e\u0301\u0301\u0301 Zalgo: Z\u0351\u0358\u0360o",
    "zero width": "a\u200bb\u200dc\ufeffd\u2060e",
    "astral and cjk": "𝕏𝔂 療法 セッション",
    "control characters": "line1\r\nline2\ttab \x1b[31mred\x1b[0m \x7f \x0b\x0c",
    "long word": "W" * 190,
}


def _event_for(tp: TP) -> int:
    return tp.practice.create_event(tp.ann, tp.details(), allow_overlap=True)[0]


def _new_user(tp: TP, display_name: str) -> str:
    username = f"user{len(tp.extra)}"
    tp.extra[username] = True
    accounts.create_user(tp.db, username=username, password="", role="manager",
                         display_name=display_name, now=tp.clock(),
                         password_hash=_demo_hash())
    return username


def _frame_value(frame: Any, row_id: int, column: str) -> str:
    return str(frame.set_index("id").loc[row_id, column])


# field -> (store the text, return what reads back, how the field normalises text)
TEXT_FIELDS: dict[str, tuple[Callable[[TP, str], Any],
                             Callable[[TP, Any], str], Callable[[str], str]]] = {
    "title": (lambda tp, s: tp.practice.create_event(
        tp.ann, tp.details(title=s), allow_overlap=True)[0],
        lambda tp, k: tp.practice.event(tp.ann, k).title, str.strip),
    "team meeting title": (lambda tp, s: tp.practice.create_event(tp.ann, tp.details(
        kind=EventKind.TEAM_MEETING, title=s, service_id=None, client_ids=(), direct=None),
        allow_overlap=True)[0], lambda tp, k: tp.practice.event(tp.ann, k).title, str.strip),
    "plan": (lambda tp, s: (lambda e: (tp.practice.save_plan(tp.ann, e, 1, s), e)[1])(
        _event_for(tp)), lambda tp, k: tp.practice.event(tp.ann, k).plan_text, str),
    "previous homework": (lambda tp, s: (lambda e: (tp.practice.save_plan(
        tp.ann, e, 1, "p", previous_homework=s), e)[1])(_event_for(tp)),
        lambda tp, k: tp.practice.event(tp.ann, k).previous_homework, str),
    "previous note": (lambda tp, s: (lambda e: (tp.practice.save_plan(
        tp.ann, e, 1, "p", previous_note=s), e)[1])(_event_for(tp)),
        lambda tp, k: tp.practice.event(tp.ann, k).previous_note, str),
    "note": (lambda tp, s: (lambda e: (tp.practice.save_outcome(tp.ann, e, 1,
        OutcomeChange.of(note=s)), e)[1])(
        _event_for(tp)), lambda tp, k: tp.practice.event(tp.ann, k).note, str),
    "homework (portal)": (lambda tp, s: (lambda e: (tp.practice.save_outcome(
        tp.ann, e, 1,
            OutcomeChange.of(homework=s, homework_enabled=True, homework_shared=True)), e)[1])(
        _event_for(tp)), lambda tp, k: next(h.homework for h in portal.shared_homework(
            tp.db, tp.client_actor) if h.event_id == k), str),
    "comment": (lambda tp, s: (lambda e: (tp.practice.add_comment(tp.ann, e, s), e)[1])(
        _event_for(tp)), lambda tp, k: tp.practice.event(tp.ann, k).comments[-1].body,
        str.strip),
    "client name": (lambda tp, s: catalog.add_client(tp.db, s, tp.clock()),
                    lambda tp, k: _frame_value(catalog.clients(tp.db), k, "name"), str.strip),
    "client name (in a session)": (lambda tp, s: tp.practice.create_event(tp.ann, tp.details(
        client_ids=(catalog.add_client(tp.db, s, tp.clock()),)), allow_overlap=True)[0],
        lambda tp, k: tp.practice.event(tp.ann, k).clients[0].name, str.strip),
    "clinician name": (lambda tp, s: catalog.add_clinician(tp.db, s, tp.clock()),
                       lambda tp, k: _frame_value(catalog.clinicians(tp.db), k, "name"),
                       str.strip),
    "service name": (lambda tp, s: catalog.add_service(tp.db, s, 50, tp.clock()),
                     lambda tp, k: _frame_value(catalog.services(tp.db), k, "name"), str.strip),
    "third-party name": (lambda tp, s: catalog.add_third_party(
        tp.db, tp.clients[0], s, "GP", tp.clock()),
        lambda tp, k: _frame_value(catalog.third_parties(tp.db, [tp.clients[0]]), k, "name"),
        str.strip),
    "third-party relationship": (lambda tp, s: catalog.add_third_party(
        tp.db, tp.clients[0], "Dr Gray", s, tp.clock()),
        lambda tp, k: _frame_value(catalog.third_parties(tp.db, [tp.clients[0]]), k,
                                   "relationship"), str.strip),
    "user display name": (_new_user, lambda tp, k: accounts.actor_for(tp.db, k).display_name,
                          str.strip),
}

# Fields with a strict shape: odd text is refused by field, or (if it fits) stored verbatim.
STRICT_FIELDS: dict[str, tuple[Callable[[TP, str], Any], Callable[[TP, Any], str],
                               Callable[[str], str], str]] = {
    "user name": (lambda tp, s: (accounts.create_user(
        tp.db, username=s, password="", role="manager", display_name="X", now=tp.clock(),
        password_hash=_demo_hash()), s)[1],
        lambda tp, k: tp.db.cursor().execute(
            "SELECT username FROM users WHERE username = ?", [k.strip().lower()]).fetchone()[0],
        lambda s: s.strip().lower(), "username"),
    "client email": (lambda tp, s: catalog.add_client(tp.db, "Zoe", tp.clock(), email=s),
                     lambda tp, k: _frame_value(catalog.clients(tp.db), k, "email"), str.strip,
                     "email"),
    "video link": (lambda tp, s: tp.practice.create_event(tp.ann, tp.details(
        kind=EventKind.VIDEO_SESSION, video_link=s), allow_overlap=True)[0],
        lambda tp, k: tp.practice.event(tp.ann, k).video_link, str, "video_link"),
}
STRICT_PREFIX = {"user name": "", "client email": "", "video link": "https://meet.example.org/"}


@pytest.fixture(scope="module")
def shared() -> Iterator[TP]:
    """One practice for the text matrix: each case adds its own rows."""
    practice = make_practice()
    yield practice
    practice.db.close()


@pytest.mark.parametrize("payload", PAYLOADS.values(), ids=PAYLOADS.keys())
@pytest.mark.parametrize("field", TEXT_FIELDS)
def test_odd_text_is_stored_verbatim_and_comes_back_byte_identical(
        shared: TP, field: str, payload: str) -> None:
    store, read, normalise = TEXT_FIELDS[field]
    key = store(shared, payload)
    back = read(shared, key)
    assert back.encode("utf-8") == normalise(payload).encode("utf-8")


@pytest.mark.parametrize("payload", PAYLOADS.values(), ids=PAYLOADS.keys())
@pytest.mark.parametrize("field", STRICT_FIELDS)
def test_odd_text_in_a_strict_field_is_refused_by_name_or_kept_verbatim(
        shared: TP, field: str, payload: str) -> None:
    store, read, normalise, name = STRICT_FIELDS[field]
    text = STRICT_PREFIX[field] + payload
    before = table_contents(shared.db)
    try:
        key = store(shared, text)
    except ValidationError as refusal:
        assert refusal.field == name
        assert table_contents(shared.db) == before
        return
    assert read(shared, key).encode("utf-8") == normalise(text).encode("utf-8")


def test_the_tables_survive_every_payload(shared: TP) -> None:
    """Run last in this module: after all the SQL above, every table is still there and
    the audit log still has every row written."""
    tables = set(table_contents(shared.db))
    assert {"events", "audit_log", "outcomes", "plans", "users", "clients"} <= tables
    n = shared.db.cursor().execute("SELECT count(*), max(id) FROM audit_log").fetchone()
    assert n[0] == n[1] and n[0] > len(PAYLOADS) * len(TEXT_FIELDS)


def test_the_portal_and_the_editor_show_odd_text_as_text(tp: TP) -> None:
    """What reaches a page is escaped: markup in homework, names and messages is shown, not run."""
    from dashboards.portal.app import homework_html, sessions_html
    from dashboards.shared.feedback import FieldErrors, notice_html

    for payload in PAYLOADS.values():
        clinician = catalog.add_clinician(tp.db, f"Dr {payload}"[:200], tp.clock())
        user = accounts.create_user(tp.db, username=f"c{clinician}", password="", role="clinician",
                                    display_name="x", now=tp.clock(), clinician_id=clinician,
                                    password_hash=_demo_hash())
        actor = Actor(user, Role.CLINICIAN, "x", clinician)
        [event_id] = tp.practice.create_event(actor, tp.details(
            clinician_id=clinician, start=tp.clock() + timedelta(days=1),
            end=tp.clock() + timedelta(days=1, minutes=50)), allow_overlap=True)
        tp.practice.save_outcome(actor, event_id, 1,
            OutcomeChange.of(homework=payload, homework_enabled=True,
                                 homework_shared=True))
    homework = tuple(portal.shared_homework(tp.db, tp.client_actor))
    sessions = tuple(portal.upcoming_sessions(tp.db, tp.client_actor, tp.clock()))
    assert len(homework) == len(sessions) == len(PAYLOADS)
    pages = {"homework": homework_html(homework), "sessions": sessions_html(sessions)}
    errors = FieldErrors(["note"])
    for payload in PAYLOADS.values():
        errors.show("note", f"note: {payload}")
        pages[f"notice {payload}"] = notice_html("error", payload, title=payload)
        pages[f"field error {payload}"] = errors["note"].object
    for name, page in pages.items():
        for payload in PAYLOADS.values():
            if "<" in payload or ">" in payload:
                assert payload not in page, f"{name}: markup reached the page unescaped"
        assert "<script" not in page and "onerror=" not in page.replace("onerror=&quot;", "")
    for payload in PAYLOADS.values():
        assert escape(payload) in pages["homework"]


# -- the command line ---------------------------------------------------------------------------

def _thera() -> list[str]:
    script = Path(sys.executable).with_name("thera")
    return [str(script)] if script.exists() else [sys.executable, "-m", "thera_app.cli"]


def _run_thera(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "THERA_COOKIE_SECRET": "bad-input-tests-only"}
    env.pop("THERA_SMTP_HOST", None)
    return subprocess.run([*_thera(), *args], cwd=cwd, capture_output=True, text=True,
                          timeout=60, env=env)


@pytest.fixture(scope="module")
def cli_files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with a practice (``ok.duckdb``, events in it), a garbage and an empty file."""
    folder = tmp_path_factory.mktemp("cli")
    tp = make_practice(str(folder / "ok.duckdb"))
    tp.create()
    tp.db.close()
    (folder / "garbage.duckdb").write_bytes(bytes(range(256)) * 64)
    (folder / "empty.duckdb").write_bytes(b"")
    (folder / "notes.txt").write_text("not a database\n")
    with Database(folder / "ok.duckdb") as db:
        CLI_PRACTICE_BEFORE.update(table_contents(db))
    return folder


CLI_PRACTICE_BEFORE: dict[str, Any] = {}


# args, what stderr must say. Every case: exit status 2, no traceback, the files unchanged.
CLI_CASES: list[tuple[str, list[str], str]] = [
    ("no command", [], "required: COMMAND"),
    ("unknown command", ["frobnicate"], "invalid choice: 'frobnicate'"),
    ("unknown report", ["report", "nonsense", "--db", "ok.duckdb"], "invalid choice: 'nonsense'"),
    ("unknown format", ["report", "attendance", "--db", "ok.duckdb", "--format", "xml"],
     "invalid choice: 'xml'"),
    ("bad month", ["report", "attendance", "--db", "ok.duckdb", "--from", "2026-13-01"],
     "'2026-13-01' is not a date"),
    ("bad day", ["report", "attendance", "--db", "ok.duckdb", "--to", "2026-02-30"],
     "'2026-02-30' is not a date"),
    ("words for a date", ["report", "attendance", "--db", "ok.duckdb", "--from", "yesterday"],
     "'yesterday' is not a date"),
    ("period backwards", ["report", "attendance", "--db", "ok.duckdb", "--from", "2026-06-10",
                          "--to", "2026-06-01"], "end: the period ends"),
    ("bad instant", ["report", "backlog", "--db", "ok.duckdb", "--as-of", "noon"],
     "'noon' is not a date-time"),
    ("clinician not a number", ["report", "attendance", "--db", "ok.duckdb", "--clinician",
                                "ann"], "invalid int value: 'ann'"),
    ("parquet to the terminal", ["report", "attendance", "--db", "ok.duckdb", "--format",
                                 "parquet"], "out: a parquet report needs --out FILE"),
    ("report: missing database", ["report", "attendance", "--db", "missing.duckdb"],
     "/missing.duckdb does not exist"),  # named by its absolute path
    ("report: garbage database", ["report", "attendance", "--db", "garbage.duckdb"],
     "not a valid DuckDB database file"),
    ("report: empty database file", ["report", "attendance", "--db", "empty.duckdb"],
     "not a valid DuckDB database file"),
    ("report: a text file", ["report", "attendance", "--db", "notes.txt"],
     "not a valid DuckDB database file"),
    ("negative clinicians", ["sample", "--db", "new.duckdb", "--clinicians", "-3"],
     "-3 is not between 1 and 1000"),
    ("zero weeks", ["sample", "--db", "new.duckdb", "--weeks", "0"],
     "0 is not between 1 and 520"),
    ("too many weeks", ["sample", "--db", "new.duckdb", "--weeks", "100000"],
     "100000 is not between 1 and 520"),
    ("clinicians not a number", ["sample", "--db", "new.duckdb", "--clinicians", "lots"],
     "'lots' is not a whole number"),
    ("seed not a number", ["sample", "--db", "new.duckdb", "--seed", "1.5"],
     "invalid int value: '1.5'"),
    ("sample: bad end", ["sample", "--db", "new.duckdb", "--end", "2026-02-30"],
     "'2026-02-30' is not a date"),
    ("sample: database with events", ["sample", "--db", "ok.duckdb", "--quiet"],
     "already has 1 events"),
    ("sample: garbage database", ["sample", "--db", "garbage.duckdb", "--quiet"],
     "not a valid DuckDB database file"),
    ("init: existing file", ["init", "--db", "ok.duckdb", "--name", "X", "--time-zone", "UTC",
                             "--manager-password", "secret"], "ok.duckdb already exists"),
    ("init: garbage file", ["init", "--db", "garbage.duckdb", "--name", "X", "--time-zone",
                            "UTC", "--manager-password", "secret"], "already exists"),
    ("init: no password", ["init", "--db", "new.duckdb", "--name", "X", "--time-zone", "UTC"],
     "required: --manager-password"),
    ("serve: missing database", ["serve", "--db", "missing.duckdb"],
     "db: missing.duckdb does not exist"),
    ("serve: garbage database", ["serve", "--db", "garbage.duckdb"],
     "not a valid DuckDB database file"),
    ("serve: port not a number", ["serve", "--db", "ok.duckdb", "--port", "http"],
     "argument --port: "),
    ("calendar: unknown client", ["calendar", "export", "--db", "ok.duckdb", "--client", "999",
                                  "--out", "x.ics"], "client: no client 999"),
    ("calendar: unknown clinician", ["calendar", "export", "--db", "ok.duckdb", "--clinician",
                                     "99999999999999999999", "--out", "x.ics"],
     "clinician: no clinician"),
    ("calendar: clinician and client", ["calendar", "export", "--db", "ok.duckdb",
                                        "--clinician", "1", "--client", "1", "--out", "x.ics"],
     "not allowed with argument"),
    ("calendar: bad day", ["calendar", "export", "--db", "ok.duckdb", "--clinician", "1",
                           "--out", "x.ics", "--from", "2026-02-30"], "is not a date"),
    ("calendar: missing database", ["calendar", "export", "--db", "missing.duckdb",
                                    "--clinician", "1", "--out", "x.ics"], "does not exist"),
    ("calendar: garbage database", ["calendar", "export", "--db", "garbage.duckdb",
                                    "--clinician", "1", "--out", "x.ics"],
     "not a valid DuckDB database file"),
    ("reminders: interval of 0", ["reminders", "run", "--db", "ok.duckdb", "--loop",
                                  "--interval", "0"], "the interval is 1 to 86400 seconds"),
    ("reminders: interval without loop", ["reminders", "run", "--db", "ok.duckdb",
                                          "--interval", "5"], "--interval goes with --loop"),
    ("reminders: now with loop", ["reminders", "run", "--db", "ok.duckdb", "--loop", "--now",
                                  "2026-06-01T10:00"], "--now is for a single pass"),
    ("reminders: bad now", ["reminders", "run", "--db", "ok.duckdb", "--now", "soon"],
     "'soon' is not a date-time"),
    ("reminders: empty database file", ["reminders", "run", "--db", "empty.duckdb"],
     "not a valid DuckDB database file"),
    ("reminders: no action", ["reminders"], "required: ACTION"),
]


@pytest.mark.parametrize(("args", "says"), [c[1:] for c in CLI_CASES],
                         ids=[c[0] for c in CLI_CASES])
def test_the_command_line_refuses_bad_arguments_clearly(
        cli_files: Path, args: list[str], says: str) -> None:
    files = {p.name: p.read_bytes() for p in cli_files.iterdir() if p.name != "ok.duckdb"}
    result = _run_thera(args, cli_files)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert says in result.stderr, result.stderr
    assert "error" in result.stderr
    assert {p.name: p.read_bytes() for p in cli_files.iterdir() if p.name != "ok.duckdb"} \
        == files, "a refused command left a file behind or changed one"


def test_the_command_line_says_when_the_server_holds_the_database(cli_files: Path) -> None:
    with Database(cli_files / "ok.duckdb"):  # this process holds the file, as a server would
        for args in (["report", "attendance", "--db", "ok.duckdb"],
                     ["calendar", "export", "--db", "ok.duckdb", "--clinician", "1", "--out",
                      "x.ics"],
                     ["sample", "--db", "ok.duckdb", "--quiet"]):
            result = _run_thera(args, cli_files)
            assert result.returncode == 2, result.stderr
            assert "Traceback" not in result.stderr
            assert "another process" in result.stderr, result.stderr
    assert not (cli_files / "x.ics").exists()


def test_the_practice_is_unchanged_after_every_refused_command(cli_files: Path) -> None:
    with Database(cli_files / "ok.duckdb") as db:
        assert table_contents(db) == CLI_PRACTICE_BEFORE


# -- the use cases under random arguments ---------------------------------------------------------

SAFE_INTS = st.integers(min_value=-(2**31), max_value=2**31 - 1)
PLAIN = st.text(min_size=1, max_size=40)
TEXT = st.one_of(PLAIN, PLAIN, st.sampled_from(list(PAYLOADS.values())),
                 st.sampled_from(["x" * (MAX_TEXT + 1), "nul\x00", "", "  "]))
WHEN = st.one_of(
    st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2027, 12, 31)),
    st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2027, 12, 31),
                 timezones=st.just(UTC)),
    st.sampled_from([*GAP, *FOLD]),
)
ATTENDANCE_VALUES = st.one_of(st.sampled_from(["attended", "cancelled", "late_cancellation",
                                               "no_show", "non_billable", "Attended", None]),
                              st.text(max_size=12))
REASONS = st.one_of(st.sampled_from(["forgot", "transport", ("other", "snow"), None]),
                    st.text(max_size=8))
STATUS_VALUES = st.one_of(st.sampled_from(["completed", "in_progress", "on_hold", "done"]),
                          st.text(max_size=12))


class UseCaseFuzz(RuleBasedStateMachine):
    """Random calls of every use case by every kind of actor, with random arguments.

    Invariants: nothing but a ``PracticeError`` escapes; a refused call changes no table.
    """

    @initialize()
    def start(self) -> None:
        self.tp = make_practice()
        tp = self.tp
        self.events: list[int] = [tp.create(start=D(2026, 5, 4 + i, 10), end=D(2026, 5, 4 + i, 11),
                                            **kind) for i, kind in enumerate((
            {}, {"kind": EventKind.CLIENT_TEAM_MEETING, "direct": False},
            {"kind": EventKind.GROUP_SESSION, "client_ids": tuple(tp.clients)}))]
        self.refused = self.done = 0

    def teardown(self) -> None:
        if hasattr(self, "tp"):
            self.tp.db.close()

    # -- choosing arguments --------------------------------------------------------------------
    # Half the arguments are plausible (so calls get deep into the rules and records build
    # up: plans, outcomes, signatures, locks), half anything at all.
    def actor(self, data: st.DataObject) -> Actor:
        tp = self.tp
        if data.draw(st.integers(0, 2)):
            return tp.ann
        return data.draw(st.sampled_from([
            tp.ann, tp.ben, tp.manager, tp.client_actor,
            Actor(999, Role.CLINICIAN, "ghost", clinician_id=999),
            Actor(None, Role.CLIENT, "no client", client_id=None),
        ]))

    def event_id(self, data: st.DataObject) -> int:
        if self.events and data.draw(st.integers(0, 4)):
            return data.draw(st.sampled_from(self.events))
        return data.draw(SAFE_INTS)

    def version(self, data: st.DataObject, event_id: int) -> int:
        if event_id in self.events and data.draw(st.integers(0, 4)):
            return self.tp.version(event_id)
        return data.draw(SAFE_INTS)

    def details(self, data: st.DataObject, plausible: bool = False) -> EventDetails:
        tp = self.tp
        if plausible or data.draw(st.booleans()):
            start = data.draw(st.datetimes(min_value=datetime(2026, 5, 1),
                                           max_value=datetime(2026, 6, 7), timezones=st.just(UTC)))
            kind = data.draw(st.sampled_from([EventKind.CLIENT_SESSION, EventKind.VIDEO_SESSION,
                                              EventKind.CLIENT_TEAM_MEETING]))
            return tp.details(kind=kind, start=start, end=start + timedelta(minutes=50),
                              title=data.draw(TEXT),
                              direct=kind is not EventKind.CLIENT_TEAM_MEETING,
                              client_ids=(data.draw(st.sampled_from(tp.clients)),))
        start = data.draw(WHEN)
        end = data.draw(st.one_of(
            st.sampled_from([start + timedelta(minutes=m) for m in (50, 0, -30, 60 * 25)]),
            WHEN))
        kind = data.draw(st.sampled_from(list(EventKind)))
        ids = st.one_of(st.sampled_from(tp.clients), SAFE_INTS)
        return EventDetails(
            kind=kind,
            clinician_id=data.draw(st.sampled_from([tp.ann.clinician_id, tp.ben.clinician_id,
                                                    999])),
            start=start, end=end, title=data.draw(TEXT),
            service_id=data.draw(st.sampled_from([tp.service, None, 999])),
            client_ids=tuple(data.draw(st.lists(ids, max_size=3))),
            direct=data.draw(st.sampled_from([True, False, None])),
            team_member_ids=tuple(data.draw(st.lists(st.sampled_from(
                [tp.ben.clinician_id, 999]), max_size=2))),
            third_party_ids=tuple(data.draw(st.lists(st.sampled_from(
                [tp.third_party, 999]), max_size=1))),
            reminders=tuple(data.draw(st.lists(st.builds(
                ReminderRequest, st.sampled_from(["client", "third_party"]),
                st.sampled_from([tp.clients[0], tp.third_party, 999]),
                st.sampled_from(["email", "browser"]), st.integers(-10, 30_000)),
                max_size=2))),
            video_link=data.draw(st.sampled_from([None, "https://meet.example.org/a",
                                                  "http://insecure"])),
        )

    # -- calling -------------------------------------------------------------------------------
    def call(self, fn: Callable[[], Any]) -> Any:
        before = table_contents(self.tp.db)
        try:
            result = fn()
        except PracticeError:
            self.refused += 1
            assert table_contents(self.tp.db) == before, "a refusal changed the database"
            return None
        self.done += 1
        return result

    @rule(data=st.data())
    def create_event(self, data: st.DataObject) -> None:
        actor, details = self.actor(data), self.details(data)
        overlap = data.draw(st.integers(0, 3)) > 0
        ids = self.call(lambda: self.tp.practice.create_event(actor, details,
                                                              allow_overlap=overlap))
        if ids:
            self.events.extend(ids)

    @rule(data=st.data())
    def book(self, data: st.DataObject) -> None:
        """The owner books a plausible session (so there are records to work on)."""
        ids = self.call(lambda: self.tp.practice.create_event(
            self.tp.ann, self.details(data, plausible=True), allow_overlap=True))
        if ids:
            self.events.extend(ids)

    @precondition(lambda self: bool(self.events))
    @rule(data=st.data())
    def complete(self, data: st.DataObject) -> None:
        """The owner marks the outcome and signs (so there are signed and locked notes)."""
        tp, event_id = self.tp, data.draw(st.sampled_from(self.events))
        rec = self.call(lambda: tp.practice.event(tp.ann, event_id))
        if rec is None or not rec.is_client_event:
            return
        marks: dict[str, Any] = ({"attendance": {c: "attended" for c in rec.client_ids}}
                                 if rec.direct else {"status": "completed"})
        version = self.call(lambda: tp.practice.save_outcome(tp.ann, event_id, rec.version,
                                                             OutcomeChange.of(**marks)))
        if version is not None:
            self.call(lambda: tp.practice.sign(tp.ann, event_id, version))

    @rule(data=st.data())
    def update_details(self, data: st.DataObject) -> None:
        actor, event_id = self.actor(data), self.event_id(data)
        version, details = self.version(data, event_id), self.details(data)
        self.call(lambda: self.tp.practice.update_details(actor, event_id, version, details,
                                                          allow_overlap=True))

    @rule(data=st.data())
    def reschedule(self, data: st.DataObject) -> None:
        actor, event_id = self.actor(data), self.event_id(data)
        version = self.version(data, event_id)
        start, end = data.draw(WHEN), data.draw(WHEN)
        if data.draw(st.booleans()):
            end = start + timedelta(minutes=data.draw(st.sampled_from([30, 50, 90])))
        scope = data.draw(st.sampled_from(["this", "following"]))
        overlap = data.draw(st.booleans())
        self.call(lambda: self.tp.practice.reschedule(actor, event_id, version, start, end,
                                                      scope=scope, allow_overlap=overlap))

    @rule(data=st.data())
    def cancel(self, data: st.DataObject) -> None:
        actor, event_id = self.actor(data), self.event_id(data)
        version = self.version(data, event_id)
        self.call(lambda: self.tp.practice.cancel(actor, event_id, version, reason="forgot"))

    @rule(data=st.data())
    def save_plan(self, data: st.DataObject) -> None:
        actor, event_id = self.actor(data), self.event_id(data)
        version = self.version(data, event_id)
        texts = [data.draw(TEXT), data.draw(st.one_of(st.none(), TEXT)),
                 data.draw(st.one_of(st.none(), TEXT))]
        self.call(lambda: self.tp.practice.save_plan(actor, event_id, version, texts[0],
                                                     previous_homework=texts[1],
                                                     previous_note=texts[2]))

    @rule(data=st.data())
    def save_outcome(self, data: st.DataObject) -> None:
        actor, event_id = self.actor(data), self.event_id(data)
        version = self.version(data, event_id)
        changes: dict[str, Any] = {}
        if event_id in self.events and data.draw(st.booleans()):
            rec = self.tp.practice.event(self.tp.manager, event_id)
            if rec.direct:
                changes["attendance"] = {c: data.draw(st.sampled_from(
                    ["attended", "no_show", "cancelled"])) for c in rec.client_ids}
                changes["reasons"] = {c: data.draw(REASONS) for c, a
                                      in changes["attendance"].items() if a == "cancelled"}
            else:
                changes["status"] = data.draw(st.sampled_from(["completed", "on_hold"]))
        elif data.draw(st.booleans()):
            keys = st.one_of(st.sampled_from(self.tp.clients), SAFE_INTS)
            changes["attendance"] = data.draw(st.dictionaries(keys, ATTENDANCE_VALUES,
                                                              max_size=3))
        for name, values in (("status", STATUS_VALUES), ("note", TEXT), ("homework", TEXT),
                             ("homework_enabled", st.booleans()),
                             ("homework_shared", st.booleans())):
            if data.draw(st.booleans()):
                changes[name] = data.draw(values)
        self.call(lambda: self.tp.practice.save_outcome(actor, event_id, version,
            OutcomeChange.of(**changes)))

    @rule(data=st.data())
    def sign(self, data: st.DataObject) -> None:
        actor, event_id = self.actor(data), self.event_id(data)
        version = self.version(data, event_id)
        self.call(lambda: self.tp.practice.sign(actor, event_id, version))

    @rule(data=st.data())
    def add_comment(self, data: st.DataObject) -> None:
        actor, event_id, body = self.actor(data), self.event_id(data), data.draw(TEXT)
        self.call(lambda: self.tp.practice.add_comment(actor, event_id, body))

    @rule(data=st.data())
    def read(self, data: st.DataObject) -> None:
        actor, event_id = self.actor(data), self.event_id(data)
        day = data.draw(st.dates(min_value=date(2025, 1, 1), max_value=date(2027, 12, 31)))
        clinician = data.draw(st.sampled_from([None, self.tp.ann.clinician_id, 999]))
        reads = [lambda: self.tp.practice.event(actor, event_id),
                 lambda: self.tp.practice.plan_prefill(actor, event_id),
                 lambda: self.tp.practice.week(actor, day, clinician),
                 lambda: portal.shared_homework(self.tp.db, actor),
                 lambda: portal.upcoming_sessions(self.tp.db, actor, self.tp.clock())]
        self.call(data.draw(st.sampled_from(reads)))

    @precondition(lambda self: bool(self.events))
    @rule(hours=st.sampled_from([1, 12, 23, 25, 24 * 7]))
    def time_passes(self, hours: int) -> None:
        self.tp.clock.advance(timedelta(hours=hours))

    @invariant()
    def versions_match_the_audit_log(self) -> None:
        if not hasattr(self, "tp"):
            return
        rows = self.tp.db.cursor().execute(
            "SELECT e.id, e.version, count(a.id) FROM events e LEFT JOIN audit_log a"
            " ON a.entity = 'event' AND a.entity_id = e.id AND a.action <> 'comment'"
            " GROUP BY e.id, e.version").fetchall()
        for event_id, version, changes in rows:
            assert version == changes, f"event {event_id}: version {version}, {changes} changes"

    @invariant()
    def stored_dots_and_first_visits_match_the_tables(self) -> None:
        if hasattr(self, "tp"):
            assert derived_mismatches(self.tp.db) == []


TestUseCaseFuzz = UseCaseFuzz.TestCase
TestUseCaseFuzz.settings = settings(
    max_examples=int(os.environ.get("THERA_FUZZ_EXAMPLES", "12")), stateful_step_count=20,
    deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    derandomize=os.environ.get("THERA_FUZZ_RANDOM") is None)
