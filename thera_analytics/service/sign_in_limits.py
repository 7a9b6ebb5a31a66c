"""Use cases of sign-in pauses: wrong passwords counted in the practice's database, so every
server process of a practice sees the same count (``domain.sign_in`` has the rule)."""

from __future__ import annotations

from datetime import datetime, timedelta

from thera_analytics.domain.sign_in import SignInLimits, lockout_after, still_paused, username_key
from thera_analytics.store import sign_ins
from thera_analytics.store.database import Database


def paused_for(db: Database, username: str, now: datetime) -> timedelta | None:
    """How much longer sign-in for ``username`` is paused, or None if it may try."""
    return still_paused(sign_ins.locked_until(db.cursor(), username_key(username)), now)


DEFAULT_LIMITS = SignInLimits()


def failed(db: Database, username: str, now: datetime,
           limits: SignInLimits = DEFAULT_LIMITS) -> bool:
    """Record a wrong password; True if this failure pauses the name."""
    key = username_key(username)
    with db.transaction() as cur:
        failures = sign_ins.add_failure(cur, key, now, since=now - limits.window)
        until = lockout_after(failures, now, limits)
        if until is not None:
            sign_ins.pause(cur, key, until)
    return until is not None


def succeeded(db: Database, username: str) -> None:
    """A correct password clears the name's failures."""
    with db.transaction() as cur:
        sign_ins.clear(cur, username_key(username))
