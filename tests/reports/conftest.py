"""A small practice whose sessions are written through the use cases at chosen times (a note
signed without or before its plan, which the rules refuse now, as an older database holds it)."""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ENGINES
from tests.factories import START_OF_TESTS, TestPractice, make_practice
from thera_analytics.domain.actor import Actor
from thera_analytics.domain.details import EventDetails
from thera_analytics.domain.kinds import EventKind
from thera_analytics.domain.local_time import to_instant
from thera_analytics.practice import Practice
from thera_analytics.reports.source import open_for_reading, take_snapshot
from thera_analytics.service import catalog
from thera_analytics.store import derived, history
from thera_analytics.store.database import Database


@dataclass
class Booking:
    event_id: int
    start: datetime  # UTC instant
    end: datetime


class Book:
    """Write one client event and its steps, each at its own instant (Europe/London).

    ``plan_at`` / ``sign_at`` are hours after the session's end (negative: before it);
    ``attendance`` is one value per client (None leaves that client unmarked).
    """

    def __init__(self, tp: TestPractice) -> None:
        self.tp = tp
        self.group_service = catalog.add_service(tp.db, "Group programme", 90, START_OF_TESTS)

    def __call__(
        self,
        day: date,
        hour: int,
        *,
        who: str = "ann",
        minutes: int = 50,
        clients: Sequence[int] = (0,),
        kind: EventKind = EventKind.CLIENT_SESSION,
        direct: bool = True,
        service: int | None = None,
        attendance: Sequence[str | None] | str | None = None,
        status: str | None = None,
        plan_at: float | None = None,
        sign_at: float | None = None,
        cancel: bool = False,
        reason: str | tuple[str, str] = "client_illness",
    ) -> Booking:
        tp = self.tp
        actor: Actor = getattr(tp, who)
        zone = tp.db.zone
        start = to_instant(datetime(day.year, day.month, day.day, hour), zone)
        end = start + timedelta(minutes=minutes)
        tp.clock.set(START_OF_TESTS)
        ids = [tp.clients[i] for i in clients]
        details = EventDetails(kind=kind, clinician_id=actor.clinician_id or 0, start=start,
                               end=end, service_id=service or tp.service, client_ids=tuple(ids),
                               direct=direct)
        event_id = tp.practice.create_event(actor, details, allow_overlap=True)[0]
        if cancel:
            tp.practice.cancel(actor, event_id, tp.version(event_id), reason=reason)
            return Booking(event_id, start, end)
        # Signed with no plan, or before it: what a database from before signing needed a plan
        # holds. The rules refuse it now, so it is written as such a database has it.
        legacy = sign_at is not None and (plan_at is None or plan_at > sign_at)
        if plan_at is not None and not legacy:
            tp.clock.set(end + timedelta(hours=plan_at))
            tp.practice.save_plan(actor, event_id, tp.version(event_id), "plan")
        marks_at = end + timedelta(minutes=5)
        if sign_at is not None:
            marks_at = min(marks_at, end + timedelta(hours=sign_at))
        if attendance is not None:
            values = [attendance] * len(ids) if isinstance(attendance, str) else attendance
            tp.clock.set(max(marks_at, start))
            marks = dict(zip(ids, values, strict=True))
            tp.practice.record_attendance(
                actor, event_id, tp.version(event_id), marks,
                {c: reason for c, m in marks.items() if m in ("cancelled", "late_cancellation")})
        if status is not None:
            tp.clock.set(max(marks_at, start))
            tp.practice.record_status(actor, event_id, tp.version(event_id), status)
        if sign_at is not None:
            tp.clock.set(max(end + timedelta(hours=sign_at), start))
            if legacy:
                self._signed_before_the_plan_rule(actor, event_id)
            else:
                tp.practice.sign(actor, event_id, tp.version(event_id))
        if legacy and plan_at is not None:
            tp.clock.set(end + timedelta(hours=plan_at))
            tp.practice.save_plan(actor, event_id, tp.version(event_id), "plan")
        return Booking(event_id, start, end)

    def _signed_before_the_plan_rule(self, actor: Actor, event_id: int) -> None:
        tp = self.tp
        with tp.db.transaction() as cur:
            cur.execute("UPDATE outcomes SET signed_at = ?, signed_by = ? WHERE event_id = ?",
                        [tp.clock(), actor.user_id, event_id])
            derived.rederive_completion(cur)
            # ... and a version of it in the event history, as the use cases write one.
            cur.execute("UPDATE events SET version = version + 1 WHERE id = ?", [event_id])
            history.record(cur, event_id, tp.clock())

    def other(self, day: date, hour: int, kind: EventKind, *, who: str = "ann",
              minutes: int = 60) -> Booking:
        """A non-client event (admin, leave...)."""
        tp = self.tp
        actor: Actor = getattr(tp, who)
        start = to_instant(datetime(day.year, day.month, day.day, hour), tp.db.zone)
        end = start + timedelta(minutes=minutes)
        tp.clock.set(START_OF_TESTS)
        details = EventDetails(kind=kind, clinician_id=actor.clinician_id or 0, start=start,
                               end=end, title=kind.label)
        event_id = tp.practice.create_event(actor, details, allow_overlap=True)[0]
        return Booking(event_id, start, end)




@pytest.fixture
def book(tp: TestPractice) -> Book:
    return Book(tp)


# The reports run on a DuckDB practice and on the analysts' DuckDB snapshot of the same practice
# kept in PostgreSQL (built through the same use cases there, then copied through Arrow).
SOURCES = tuple(source for engine, source in (("duckdb", "duckdb"),
                                              ("postgresql", "postgresql-snapshot"))
                if engine in ENGINES)


def cluster_for(request: pytest.FixtureRequest) -> Any:
    """The test session's PostgreSQL cluster when the fixture's source is the snapshot."""
    return request.getfixturevalue("pg_cluster") if request.param != "duckdb" else None


@pytest.fixture(params=SOURCES)
def source(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def tp(source: str, request: pytest.FixtureRequest) -> Iterator[TestPractice]:
    """A fresh small practice: in DuckDB, or in PostgreSQL for the snapshot source."""
    practice = make_practice(":memory:" if source == "duckdb"
                             else request.getfixturevalue("pg_url"))
    yield practice
    practice.db.close()


@pytest.fixture
def read(tp: TestPractice, source: str, tmp_path: Path) -> Iterator[Callable[[], Database]]:
    """What the reports read ``tp`` from: the practice itself, or its analyst snapshot taken
    now (after the test has written what it needs)."""
    opened: list[Database] = []

    def reading() -> Database:
        if source == "duckdb":
            return tp.db
        taken = take_snapshot(tp.db, tmp_path / f"analyst-{len(opened)}.duckdb")
        opened.append(open_for_reading(taken.path))
        return opened[-1]

    yield reading
    for db in opened:
        db.close()


@contextmanager
def scenario(build: Callable[[TestPractice, Book], None],
             cluster: Any = None) -> Iterator[tuple[TestPractice, Book]]:
    """A practice built once for a module's read-only tests: in DuckDB, or (given a PostgreSQL
    cluster) built in PostgreSQL and read from its analyst snapshot, as analysts read it."""
    if cluster is None:
        practice = make_practice()
        book = Book(practice)
        build(practice, book)
        try:
            yield practice, book
        finally:
            practice.db.close()
        return
    url = cluster.create_database(template=cluster.template)
    with tempfile.TemporaryDirectory(prefix="thera-report-snapshot-") as folder:
        try:
            practice = make_practice(url)
            book = Book(practice)
            build(practice, book)
            snapshot = take_snapshot(practice.db, Path(folder) / "analyst.duckdb").path
            practice.db.close()
        finally:
            cluster.drop_database(url)
        with open_for_reading(snapshot) as db:
            assert db.is_snapshot
            practice.practice = Practice(db, practice.clock)
            yield practice, book
