"""The use cases under random, often invalid, arguments (a hypothesis state machine): only
``PracticeError`` may escape, and a refusal leaves every table as it was."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from tests.factories import derived_mismatches, make_practice, table_contents
from tests.helpers.odd_input import FOLD, GAP, PAYLOADS, D
from thera_analytics.domain.actor import Actor, Role
from thera_analytics.domain.details import MAX_TEXT, EventDetails, ReminderRequest
from thera_analytics.domain.errors import (
    PracticeError,
)
from thera_analytics.domain.kinds import EventKind
from thera_analytics.domain.outcome_change import OutcomeChange
from thera_analytics.service import portal

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
