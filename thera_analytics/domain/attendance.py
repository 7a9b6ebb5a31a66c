"""Per-client attendance on direct sessions and status on indirect ones."""

from __future__ import annotations

from enum import StrEnum
from typing import TypeVar

from thera_analytics.domain.errors import ValidationError
from thera_analytics.domain.palette import ATTENDANCE, STATUS


class Attendance(StrEnum):
    ATTENDED = "attended"
    CANCELLED = "cancelled"
    LATE_CANCELLATION = "late_cancellation"
    NO_SHOW = "no_show"
    NON_BILLABLE = "non_billable"

    @property
    def label(self) -> str:
        return "Non-billable" if self is Attendance.NON_BILLABLE else (
            self.value.replace("_", " ").capitalize())

    @property
    def billable(self) -> bool:
        """Attended, late cancellation and no show are billed; the others are not."""
        return self in _BILLABLE

    @property
    def colour(self) -> str:
        return ATTENDANCE[self.value]

    @classmethod
    def parse(cls, value: str | Attendance, field: str = "attendance") -> Attendance:
        return _parse(cls, value, field)


_BILLABLE = {Attendance.ATTENDED, Attendance.LATE_CANCELLATION, Attendance.NO_SHOW}


class SessionStatus(StrEnum):
    COMPLETED = "completed"
    IN_PROGRESS = "in_progress"
    ON_HOLD = "on_hold"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()

    @property
    def colour(self) -> str:
        return STATUS[self.value]

    @classmethod
    def parse(cls, value: str | SessionStatus, field: str = "status") -> SessionStatus:
        return _parse(cls, value, field)


E = TypeVar("E", bound=StrEnum)


def _parse(cls: type[E], value: str | E, field: str) -> E:
    if isinstance(value, cls):
        return value
    text = str(value).strip().lower().replace(" ", "_").replace("-", "_")
    try:
        return cls(text)
    except ValueError:
        allowed = ", ".join(m.value for m in cls)
        raise ValidationError(field, f"unknown value {value!r} (allowed: {allowed})") from None


def check_outcome_fits(direct: bool, attendance_given: bool, status_given: bool) -> None:
    """Attendance belongs to direct sessions, status to indirect ones."""
    if not direct and attendance_given:
        raise ValidationError(
            "attendance", "an indirect session records a status, not attendance"
        )
    if direct and status_given:
        raise ValidationError("status", "a direct session records attendance, not a status")
