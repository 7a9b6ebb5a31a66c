"""The three completion dots of a client event: details, plan, outcome-and-signature."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from thera_analytics.domain.attendance import Attendance, SessionStatus


@dataclass(frozen=True)
class Dots:
    details: bool
    plan: bool
    outcome: bool

    @property
    def complete(self) -> bool:
        return self.details and self.plan and self.outcome

    def as_tuple(self) -> tuple[bool, bool, bool]:
        return (self.details, self.plan, self.outcome)


def outcome_marked(
    direct: bool,
    attendance: Iterable[Attendance | None],
    status: SessionStatus | None,
) -> bool:
    """Marked enough to sign: every client's attendance (direct) or any status (indirect)."""
    if direct:
        values = list(attendance)
        return bool(values) and all(v is not None for v in values)
    return status is not None


def outcome_done(
    direct: bool,
    attendance: Iterable[Attendance | None],
    status: SessionStatus | None,
) -> bool:
    """Dot 3 needs all attendance, or the status ``Completed``."""
    if direct:
        return outcome_marked(True, attendance, None)
    return status is SessionStatus.COMPLETED


def dots_for(
    *,
    details_valid: bool,
    plan_saved: bool,
    direct: bool,
    attendance: Iterable[Attendance | None],
    status: SessionStatus | None,
    signed: bool,
) -> Dots:
    """Compute the three dots from the record."""
    return Dots(
        details=details_valid,
        plan=plan_saved,
        outcome=signed and outcome_done(direct, attendance, status),
    )
