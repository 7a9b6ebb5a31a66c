"""A reporting period: whole local days, first and last day included."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from thera_analytics.domain.errors import ValidationError
from thera_analytics.domain.local_time import week_start

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$", re.IGNORECASE)
_YEAR = re.compile(r"^(\d{4})$")
_RANGE = re.compile(r"^(\S+?)\s*(?:\.\.|/|\s+to\s+)\s*(\S+)$")


@dataclass(frozen=True)
class Period:
    """Local calendar days ``start`` to ``end``, both included (the stored ``local_date``)."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValidationError(
                "end", f"the period ends ({self.end}) before it starts ({self.start})"
            )

    # -- building ----------------------------------------------------------------------------
    @classmethod
    def month(cls, year: int, month: int) -> Period:
        """A whole calendar month."""
        first = date(year, month, 1)
        return cls(first, _add_months(first, 1) - timedelta(days=1))

    @classmethod
    def week(cls, day: date) -> Period:
        """The Monday-to-Sunday week containing ``day``."""
        monday = week_start(day)
        return cls(monday, monday + timedelta(days=6))

    @classmethod
    def weeks_ending(cls, day: date, weeks: int) -> Period:
        """``weeks`` whole weeks, the last one containing ``day``."""
        if weeks < 1:
            raise ValidationError("weeks", "a period has at least one week")
        last = cls.week(day)
        return cls(last.start - timedelta(weeks=weeks - 1), last.end)

    @classmethod
    def parse(cls, text: str) -> Period:
        """``2026-10`` (month), ``2026-W44`` (ISO week), ``2026`` (year), ``2026-10-05``
        (a day) or ``2026-10-01..2026-10-31`` (also ``/`` or `` to `` between the days)."""
        value = str(text).strip()
        if m := _RANGE.match(value):
            return cls(_day(m.group(1)), _day(m.group(2)))
        if m := _MONTH.match(value):
            month = int(m.group(2))
            if not 1 <= month <= 12:
                raise ValidationError("period", f"{value!r}: there is no month {month}")
            return cls.month(int(m.group(1)), month)
        if m := _WEEK.match(value):
            try:
                monday = date.fromisocalendar(int(m.group(1)), int(m.group(2)), 1)
            except ValueError:
                raise ValidationError("period", f"{value!r} is not an ISO week") from None
            return cls.week(monday)
        if m := _YEAR.match(value):
            year = int(m.group(1))
            return cls(date(year, 1, 1), date(year, 12, 31))
        day = _day(value)
        return cls(day, day)

    @classmethod
    def coerce(cls, start: date | str | None, end: date | str | None, *,
               default: Period | None = None) -> Period:
        """A period from optional bounds; a missing bound comes from ``default``."""
        if start is None and end is None:
            if default is None:
                raise ValidationError("start", "give the first and last day of the period")
            return default
        first = _day(start) if start is not None else None
        last = _day(end) if end is not None else None
        if first is None:
            assert last is not None
            first = default.start if default is not None and default.start <= last else last
        if last is None:
            last = default.end if default is not None and default.end >= first else first
        return cls(first, last)

    # -- using -------------------------------------------------------------------------------
    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def is_months(self) -> bool:
        """True when the period is one or more whole calendar months."""
        return self.start.day == 1 and (self.end + timedelta(days=1)).day == 1

    def months(self) -> int:
        return (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1

    def previous(self) -> Period:
        """The period just before: the same number of months for whole months, else days."""
        if self.is_months:
            start = _add_months(self.start, -self.months())
            return Period(start, self.start - timedelta(days=1))
        return Period(self.start - timedelta(days=self.days), self.start - timedelta(days=1))

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def week_starts(self) -> list[date]:
        """Mondays of every week that overlaps the period."""
        first, out = week_start(self.start), []
        while first <= self.end:
            out.append(first)
            first += timedelta(weeks=1)
        return out

    @property
    def label(self) -> str:
        if self.is_months and self.months() == 1:
            return f"{self.start:%B %Y}"
        if self.start == self.end:
            return self.start.isoformat()
        return f"{self.start.isoformat()} to {self.end.isoformat()}"

    def __str__(self) -> str:
        return self.label


def _day(value: date | str) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValidationError("period", f"{value!r} is not a date (YYYY-MM-DD)") from None


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)
