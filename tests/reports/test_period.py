from datetime import date, datetime

import pytest

from thera_analytics.domain.errors import ValidationError
from thera_analytics.reports.period import Period


@pytest.mark.parametrize(("text", "start", "end"), [
    ("2026-10", date(2026, 10, 1), date(2026, 10, 31)),
    ("2026-02", date(2026, 2, 1), date(2026, 2, 28)),
    ("2026-W44", date(2026, 10, 26), date(2026, 11, 1)),
    ("2026", date(2026, 1, 1), date(2026, 12, 31)),
    ("2026-10-05", date(2026, 10, 5), date(2026, 10, 5)),
    ("2026-10-05..2026-10-18", date(2026, 10, 5), date(2026, 10, 18)),
    ("2026-10-05/2026-10-18", date(2026, 10, 5), date(2026, 10, 18)),
    ("2026-10-05 to 2026-10-18", date(2026, 10, 5), date(2026, 10, 18)),
])
def test_parse(text: str, start: date, end: date) -> None:
    assert Period.parse(text) == Period(start, end)


@pytest.mark.parametrize("text", ["2026-13", "2026-W60", "yesterday", "2026-10-05..nope"])
def test_parse_refuses_nonsense(text: str) -> None:
    with pytest.raises(ValidationError):
        Period.parse(text)


def test_end_before_start_is_refused_by_name() -> None:
    with pytest.raises(ValidationError) as caught:
        Period(date(2026, 10, 5), date(2026, 10, 4))
    assert caught.value.field == "end"


def test_previous_month_is_the_calendar_month_before() -> None:
    assert Period.month(2026, 3).previous() == Period.month(2026, 2)
    assert Period.month(2026, 1).previous() == Period.month(2025, 12)
    quarter = Period(date(2026, 4, 1), date(2026, 6, 30))
    assert quarter.previous() == Period(date(2026, 1, 1), date(2026, 3, 31))


def test_previous_of_other_periods_has_the_same_number_of_days() -> None:
    weeks = Period(date(2026, 10, 26), date(2026, 11, 22))
    assert weeks.previous() == Period(date(2026, 9, 28), date(2026, 10, 25))
    assert Period.parse("2026-10-15").previous() == Period.parse("2026-10-14")


def test_week_starts_cover_every_overlapping_week() -> None:
    assert Period(date(2026, 10, 1), date(2026, 10, 14)).week_starts() == [
        date(2026, 9, 28), date(2026, 10, 5), date(2026, 10, 12)]


def test_coerce_accepts_text_dates_and_datetimes() -> None:
    assert Period.coerce("2026-10-01", datetime(2026, 10, 31, 23, 0)) == Period.month(2026, 10)
    assert Period.coerce(None, None, default=Period.month(2026, 9)) == Period.month(2026, 9)
    assert Period.coerce("2026-10-03", None) == Period.parse("2026-10-03")
    with pytest.raises(ValidationError):
        Period.coerce(None, None)


def test_labels() -> None:
    assert Period.month(2026, 10).label == "October 2026"
    assert str(Period.weeks_ending(date(2026, 11, 20), 2)) == "2026-11-09 to 2026-11-22"
