"""Injectable time: the rules never read the clock, the use cases are handed one."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    """Now, as an aware UTC instant."""
    return datetime.now(UTC)


class FixedClock:
    """A clock for tests and demos that only moves when told to."""

    def __init__(self, now: datetime) -> None:
        if now.tzinfo is None:
            raise ValueError("FixedClock needs an aware datetime")
        self.now = now.astimezone(UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta

    def set(self, now: datetime) -> None:
        self.now = now.astimezone(UTC)
