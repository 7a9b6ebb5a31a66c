"""Signing a note, the 24-hour amendment window, and comments after the lock."""

from __future__ import annotations

from datetime import datetime, timedelta

from thera_analytics.domain.errors import LockedError, SigningError

AMENDMENT_WINDOW = timedelta(hours=24)

SIGNING_WARNING = (
    "Once signed, this note can be amended for 24 hours only. After that it is locked and only "
    "comments can be added."
)


def amendable_until(signed_at: datetime) -> datetime:
    """The instant after which a signed note is locked."""
    return signed_at + AMENDMENT_WINDOW


def can_amend(signed_at: datetime | None, now: datetime) -> bool:
    """An unsigned note is freely editable; a signed one only strictly within 24 hours."""
    return signed_at is None or now < amendable_until(signed_at)


def is_locked(signed_at: datetime | None, now: datetime) -> bool:
    return not can_amend(signed_at, now)


def check_can_change(signed_at: datetime | None, now: datetime, what: str) -> None:
    """Refuse any change to a locked record, naming what was attempted."""
    if is_locked(signed_at, now):
        assert signed_at is not None
        raise LockedError(
            f"{what}: this note was signed at {signed_at.isoformat(timespec='minutes')} and the "
            f"24-hour amendment window closed at "
            f"{amendable_until(signed_at).isoformat(timespec='minutes')}; only comments can be "
            "added now"
        )


PLAN_MISSING = "save the plan first"
OUTCOME_MISSING = "mark the outcome first (attendance for every client, or a status)"


NOT_STARTED = "wait until the session has started"


def sign_blockers(*, plan_saved: bool, outcome_marked: bool,
                  started: bool = True) -> tuple[str, ...]:
    """The steps still missing before a note can be signed (none: it can be signed).

    A signed note without a plan could never become complete: the plan locks 24 hours after
    signing, so the session would sit in the backlog for ever."""
    missing: list[str] = [] if started else [NOT_STARTED]
    if not plan_saved:
        missing.append(PLAN_MISSING)
    if not outcome_marked:
        missing.append(OUTCOME_MISSING)
    return tuple(missing)


def sign_blocked_reason(blockers: tuple[str, ...]) -> str:
    """The blockers as one sentence, e.g. "save the plan first and mark the outcome first"."""
    return " and ".join(blockers)


def check_can_sign(
    *,
    signed_at: datetime | None,
    plan_saved: bool,
    outcome_marked: bool,
    is_owner: bool,
) -> None:
    """Only the owner signs, once, and only when the plan is saved and the outcome marked."""
    if not is_owner:
        raise SigningError("signature: only the clinician who owns the session can sign it")
    if signed_at is not None:
        raise SigningError(
            f"signature: this note is already signed (at {signed_at.isoformat(timespec='minutes')})"
        )
    blockers = sign_blockers(plan_saved=plan_saved, outcome_marked=outcome_marked)
    if blockers:
        raise SigningError(f"signature: {sign_blocked_reason(blockers)}")
