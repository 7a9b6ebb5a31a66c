"""Random sequences of session actions keep the rules: a hypothesis state machine."""

from datetime import timedelta

import hypothesis.strategies as st
from hypothesis import HealthCheck, settings
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from tests.factories import derived_mismatches, make_practice
from thera_analytics.domain.errors import PracticeError
from thera_analytics.domain.kinds import EventKind
from thera_analytics.domain.outcome_change import OutcomeChange
from thera_analytics.domain.signing import is_locked

ATTENDANCE = st.sampled_from(["attended", "cancelled", "late_cancellation", "no_show",
                              "non_billable"])
STATUS = st.sampled_from(["completed", "in_progress", "on_hold"])


class SessionLifecycle(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        self.tp = make_practice()
        self.events: list[int] = []
        self.locked_records: dict[int, tuple] = {}
        self.slot = 0

    def teardown(self):
        self.tp.db.close()

    def _new(self, **kw):
        from datetime import datetime
        start = datetime(2026, 6, 1, 8, 0) + timedelta(hours=self.slot)
        self.slot += 1
        self.events.append(self.tp.create(start=start, end=start + timedelta(minutes=50), **kw))

    def _try(self, action):
        try:
            action()
        except PracticeError:
            pass

    @rule(group=st.booleans())
    def book_direct(self, group):
        if group:
            self._new(kind=EventKind.GROUP_SESSION, client_ids=tuple(self.tp.clients[:2]))
        else:
            self._new()

    @rule()
    def book_indirect(self):
        self._new(kind=EventKind.CLIENT_TEAM_MEETING, direct=False)

    @precondition(lambda self: self.events)
    @rule(i=st.integers(0, 50), text=st.text(max_size=20))
    def plan(self, i, text):
        e = self.events[i % len(self.events)]
        self._try(lambda: self.tp.practice.save_plan(self.tp.ann, e, self.tp.version(e), text))

    @precondition(lambda self: self.events)
    @rule(i=st.integers(0, 50), which=st.integers(0, 2), value=ATTENDANCE)
    def attendance(self, i, which, value):
        e = self.events[i % len(self.events)]
        self._try(lambda: self.tp.practice.record_attendance(
            self.tp.ann, e, self.tp.version(e), {self.tp.clients[which]: value},
            {self.tp.clients[which]: "forgot"} if value in ("cancelled", "late_cancellation")
            else None))

    @precondition(lambda self: self.events)
    @rule(i=st.integers(0, 50), value=STATUS)
    def status(self, i, value):
        e = self.events[i % len(self.events)]
        self._try(lambda: self.tp.practice.record_status(self.tp.ann, e, self.tp.version(e),
                                                         value))

    @precondition(lambda self: self.events)
    @rule(i=st.integers(0, 50), note=st.text(max_size=30), shared=st.booleans())
    def note_and_homework(self, i, note, shared):
        e = self.events[i % len(self.events)]
        self._try(lambda: self.tp.practice.save_outcome(
            self.tp.ann, e, self.tp.version(e), OutcomeChange.of(note=note, homework="hw",
            homework_enabled=True, homework_shared=shared)))

    @precondition(lambda self: self.events)
    @rule(i=st.integers(0, 50))
    def sign(self, i):
        e = self.events[i % len(self.events)]
        self._try(lambda: self.tp.practice.sign(self.tp.ann, e, self.tp.version(e)))

    @precondition(lambda self: self.events)
    @rule(i=st.integers(0, 50))
    def comment(self, i):
        e = self.events[i % len(self.events)]
        self.tp.practice.add_comment(self.tp.ann, e, "addendum")

    @rule(hours=st.integers(0, 30))
    def time_passes(self, hours):
        self.tp.clock.advance(timedelta(hours=hours))

    @invariant()
    def no_attendance_on_indirect_and_no_status_on_direct(self):
        bad = self.tp.db.df(
            "SELECT count(*) AS n FROM events e LEFT JOIN outcomes o ON o.event_id = e.id"
            " LEFT JOIN event_clients ec ON ec.event_id = e.id"
            " WHERE (NOT e.direct AND ec.attendance IS NOT NULL)"
            " OR (e.direct AND o.status IS NOT NULL)")
        assert bad["n"][0] == 0

    @invariant()
    def records_keep_the_rules(self):
        """Locked records never change; dots in SQL match the record; signed means marked."""
        now = self.tp.clock()
        sql = self.tp.db.df("SELECT event_id, dot_details, dot_plan, dot_outcome"
                            " FROM event_status ORDER BY event_id")
        sql_dots = {r.event_id: (r.dot_details, r.dot_plan, r.dot_outcome)
                    for r in sql.itertuples()}
        for e in self.events:
            r = self.tp.practice.event(self.tp.manager, e)
            key = (r.version, r.plan_text, r.previous_homework, r.previous_note, r.status,
                   r.note, r.homework, r.homework_enabled, r.homework_shared, r.signed_at,
                   tuple(c.attendance for c in r.clients), tuple(r.amendments))
            if is_locked(r.signed_at, now):
                assert self.locked_records.setdefault(e, key) == key
            assert r.dots.as_tuple() == sql_dots[e]
            if r.signed_at is not None:
                assert r.outcome_marked

    @invariant()
    def stored_dots_and_first_visits_match_the_tables(self):
        assert derived_mismatches(self.tp.db) == []


TestSessionLifecycle = SessionLifecycle.TestCase
TestSessionLifecycle.settings = settings(
    max_examples=15, stateful_step_count=15, deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
