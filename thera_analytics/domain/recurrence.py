"""Recurring series: weekly or fortnightly, by count or until a date, at a fixed wall-clock time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from thera_analytics.domain.errors import ValidationError

MAX_OCCURRENCES = 260


@dataclass(frozen=True)
class Recurrence:
    interval_weeks: int  # 1 weekly, 2 fortnightly
    count: int | None = None
    until: date | None = None

    def __post_init__(self) -> None:
        if self.interval_weeks not in (1, 2):
            raise ValidationError("repeat", "a series repeats weekly (1) or fortnightly (2)")
        if (self.count is None) == (self.until is None):
            raise ValidationError("repeat", "give either a number of sessions or an end date")
        if self.count is not None and not 1 <= self.count <= MAX_OCCURRENCES:
            raise ValidationError("count", f"a series has 1 to {MAX_OCCURRENCES} sessions")


def occurrences(first_local_start: datetime, rule: Recurrence) -> list[datetime]:
    """Wall-clock starts of every occurrence; daylight saving does not move them."""
    step = timedelta(weeks=rule.interval_weeks)
    starts: list[datetime] = []
    current = first_local_start
    while True:
        if rule.count is not None and len(starts) >= rule.count:
            break
        if rule.until is not None and current.date() > rule.until:
            break
        starts.append(current)
        if len(starts) > MAX_OCCURRENCES:
            raise ValidationError("until", f"a series has at most {MAX_OCCURRENCES} sessions")
        current += step
    if not starts:
        raise ValidationError("until", "the end date is before the first session")
    return starts
