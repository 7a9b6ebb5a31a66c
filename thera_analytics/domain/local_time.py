"""Wall-clock time in the practice's IANA zone: refusing gaps and folds, and report keys."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from thera_analytics.domain.errors import ValidationError


def practice_zone(name: str) -> ZoneInfo:
    """The practice's zone, refusing names that are not IANA zones."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationError("time_zone", f"{name!r} is not an IANA time zone") from None


def to_instant(value: datetime, zone: ZoneInfo, field: str = "start") -> datetime:
    """Turn a wall-clock time in ``zone`` (or an aware datetime) into a UTC instant.

    A wall-clock time that does not exist (skipped by a daylight-saving change) or that exists
    twice (the repeated hour) is refused: the practice must say which instant it means.
    """
    try:
        if value.tzinfo is not None:
            return value.astimezone(UTC)
        first = value.replace(tzinfo=zone, fold=0)
        second = value.replace(tzinfo=zone, fold=1)
        first.astimezone(UTC)
        second.astimezone(UTC)
    except OverflowError:
        raise ValidationError(field, f"{value:%Y-%m-%d %H:%M} is out of range") from None
    if first.utcoffset() != second.utcoffset():
        # Either a gap (round trip changes the wall time) or a fold (two real instants).
        round_trip = first.astimezone(UTC).astimezone(zone).replace(tzinfo=None)
        if round_trip != value:
            raise ValidationError(
                field,
                f"{value:%Y-%m-%d %H:%M} does not exist in {zone.key} (the clocks go forward "
                "then); choose another time",
            )
        raise ValidationError(
            field,
            f"{value:%Y-%m-%d %H:%M} happens twice in {zone.key} (the clocks go back then); "
            "give the time with its UTC offset or choose another time",
        )
    return first.astimezone(UTC)


def to_local(instant: datetime, zone: ZoneInfo) -> datetime:
    """The naive wall-clock time of an instant in the practice's zone."""
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=UTC)
    return instant.astimezone(zone).replace(tzinfo=None)


def week_start(day: date) -> date:
    """Monday of the ISO week containing ``day``."""
    return day - timedelta(days=day.weekday())


@dataclass(frozen=True)
class LocalKeys:
    """Local-time keys stored with each event so reports never redo time-zone work."""

    local_start: datetime
    local_date: date
    week_start: date
    month_key: int  # yyyymm
    weekday: int  # 0 = Monday

    @classmethod
    def of(cls, instant: datetime, zone: ZoneInfo) -> LocalKeys:
        return cls.at_local(to_local(instant, zone))

    @classmethod
    def at_local(cls, local: datetime) -> LocalKeys:
        """The keys of a wall-clock time already worked out in the practice's zone."""
        d = local.date()
        return cls(local, d, week_start(d), d.year * 100 + d.month, d.weekday())
