"""The three completion dots of a client event: details, plan, outcome-and-signature."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

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
    """Marked: every client's attendance (direct) or a status, whichever it is (indirect)."""
    if direct:
        values = list(attendance)
        return bool(values) and all(v is not None for v in values)
    return status is not None


def dots_for(
    *,
    details_valid: bool,
    plan_saved: bool,
    direct: bool,
    attendance: Iterable[Attendance | None],
    status: SessionStatus | None,
    signed: bool,
) -> Dots:
    """Compute the three dots from the record.

    Dot 3 follows the article: green "once the Attendance or the Status is marked and also
    signed", whichever status it is (an indirect session on hold is complete as a record)."""
    return Dots(
        details=details_valid,
        plan=plan_saved,
        outcome=signed and outcome_marked(direct, attendance, status),
    )


@dataclass(frozen=True)
class Completion:
    """What is kept with an event each time it changes: its dots and, once all three are
    green, when it became complete (the later of its signature and its plan)."""

    dots: Dots
    completed_at: datetime | None

    @classmethod
    def none(cls) -> Completion:
        """A non-client event's (no dots) or a new event's."""
        return cls(Dots(False, False, False), None)


def completion_of(
    *,
    details_valid: bool,
    plan_saved_at: datetime | None,
    direct: bool,
    attendance: Iterable[Attendance | None],
    status: SessionStatus | None,
    signed_at: datetime | None,
) -> Completion:
    """The dots of a client event and the instant it became complete, if it is."""
    dots = dots_for(details_valid=details_valid, plan_saved=plan_saved_at is not None,
                    direct=direct, attendance=attendance, status=status,
                    signed=signed_at is not None)
    if not dots.complete or plan_saved_at is None or signed_at is None:
        return Completion(dots, None)
    return Completion(dots, max(plan_saved_at, signed_at))
