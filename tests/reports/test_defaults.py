"""Default periods come from the practice's own data: its latest session, or today."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

from tests import factories
from tests.reports.conftest import Book
from thera_analytics import reports
from thera_analytics.domain.kinds import EventKind
from thera_analytics.reports import Period
from thera_analytics.store.database import Database

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)


def test_a_practice_without_sessions_counts_back_from_today(tp: factories.TestPractice,
                                                           read: Callable[[], Database]) -> None:
    db = read()
    assert reports.latest_session_day(db, NOW) is None
    assert reports.anchor_day(db, NOW) == date(2026, 12, 2)
    assert reports.last_complete_month(db, NOW) == Period.month(2026, 11)
    assert reports.last_complete_week(db, NOW) == Period(date(2026, 11, 23),
                                                             date(2026, 11, 29))


def test_a_practice_whose_data_stops_counts_back_from_its_latest_session(
        tp: factories.TestPractice, book: Book,
        read: Callable[[], Database]) -> None:
    """A copy whose sessions end in August opens on July, not on an empty November."""
    book(date(2026, 8, 12), 10)  # a Wednesday
    book(date(2026, 6, 3), 10)
    book.other(date(2026, 9, 1), 10, EventKind.ADMIN)  # not a client session: not counted
    db = read()
    assert reports.latest_session_day(db, NOW) == date(2026, 8, 12)
    assert reports.last_complete_month(db, NOW) == Period.month(2026, 7)
    assert reports.last_complete_week(db, NOW) == Period(date(2026, 8, 3), date(2026, 8, 9))
    assert reports.last_complete_weeks(db, 4, NOW) == Period(date(2026, 7, 13),
                                                                date(2026, 8, 9))


def test_sessions_booked_ahead_do_not_move_the_default_past_today(
        tp: factories.TestPractice, book: Book,
        read: Callable[[], Database]) -> None:
    book(date(2026, 11, 20), 10)
    book(date(2027, 1, 14), 10)  # booked ahead
    db = read()
    assert reports.latest_session_day(db, NOW) == date(2026, 11, 20)
    assert reports.last_complete_month(db, NOW) == Period.month(2026, 10)


def test_cancelled_sessions_are_not_the_practice_latest(
        tp: factories.TestPractice, book: Book, read: Callable[[], Database]) -> None:
    book(date(2026, 10, 5), 10)
    book(date(2026, 11, 16), 10, cancel=True)
    db = read()
    assert reports.latest_session_day(db, NOW) == date(2026, 10, 5)
