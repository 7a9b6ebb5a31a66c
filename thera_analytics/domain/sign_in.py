"""Pausing sign-in for a user name after too many wrong passwords."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class SignInLimits:
    """``max_failures`` wrong passwords within ``window`` pause the name for ``lockout``."""

    max_failures: int = 5
    window: timedelta = timedelta(minutes=15)
    lockout: timedelta = timedelta(minutes=15)


def username_key(username: str) -> str:
    """The name as failures are counted: trimmed and lower-cased."""
    return username.strip().lower()


def lockout_after(failures: Sequence[datetime], now: datetime,
                  limits: SignInLimits) -> datetime | None:
    """Given the name's failures (this one included), until when it is paused, or None."""
    recent = [t for t in failures if now - t < limits.window]
    return now + limits.lockout if len(recent) >= limits.max_failures else None


def still_paused(locked_until: datetime | None, now: datetime) -> timedelta | None:
    """How much longer a pause lasts, or None once it is over."""
    if locked_until is None or now >= locked_until:
        return None
    return locked_until - now
