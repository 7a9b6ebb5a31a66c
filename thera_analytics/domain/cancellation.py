"""Why a session was cancelled: which marks need a reason, and what a reason must carry.

A reason is one entry of the list the practice manager keeps (``cancellation_reasons``). The
rules here are pure: they take the marks and the reason list as values, never the database.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from thera_analytics.domain.attendance import Attendance
from thera_analytics.domain.details import clean_text
from thera_analytics.domain.errors import ValidationError

REASON_TEXT_MAX = 500


class CancellationKind(StrEnum):
    """What a cancellation record is about: the whole event, or one client's mark."""

    EVENT = "event"
    CANCELLED = "cancelled"
    LATE_CANCELLATION = "late_cancellation"
    NO_SHOW = "no_show"
    WITHDRAWN = "withdrawn"  # the client's mark changed to one that is not a cancellation

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]


_KIND_LABELS = {
    CancellationKind.EVENT: "Session cancelled",
    CancellationKind.CANCELLED: "Cancelled",
    CancellationKind.LATE_CANCELLATION: "Late cancellation",
    CancellationKind.NO_SHOW: "No show",
    CancellationKind.WITHDRAWN: "Cancellation withdrawn",
}

# Marks that must carry a reason, and marks that may.
NEEDS_REASON = frozenset({Attendance.CANCELLED, Attendance.LATE_CANCELLATION})
MAY_TAKE_REASON = NEEDS_REASON | {Attendance.NO_SHOW}


@dataclass(frozen=True)
class ReasonEntry:
    """One entry of the manager's list."""

    code: str
    label: str
    needs_text: bool = False
    retired_at: datetime | None = None

    def retired(self, now: datetime) -> bool:
        return self.retired_at is not None and self.retired_at <= now


@dataclass(frozen=True)
class CancellationReason:
    """The reason given for one cancellation: a code from the list and optional text."""

    code: str
    text: str = ""

    @classmethod
    def parse(cls, value: CancellationReason | str | tuple[str, str] | Mapping[str, str] | None,
              field: str = "reason") -> CancellationReason | None:
        """From a code, ``(code, text)``, ``{"code": ..., "text": ...}`` or None."""
        if value is None or isinstance(value, CancellationReason):
            return value
        if isinstance(value, str):
            code, text = value, ""
        elif isinstance(value, tuple) and len(value) == 2:
            code, text = value
        elif isinstance(value, Mapping):
            code, text = value.get("code", ""), value.get("text", "") or ""
        else:
            raise ValidationError(field, f"{value!r} is not a reason (give its code)")
        code = str(code).strip()
        if not code:
            return None
        return cls(code, clean_text(str(text), f"{field}_text", REASON_TEXT_MAX).strip())


def reason_needed(mark: Attendance | None) -> bool:
    """Cancelled and Late cancellation need a reason; No show may take one."""
    return mark in NEEDS_REASON


def check_reason(reason: CancellationReason | None, reasons: Mapping[str, ReasonEntry],
                 now: datetime, *, required: bool, field: str = "reason") -> None:
    """A reason is given when required, is on the list and not retired, and "other"-like
    entries (``needs_text``) carry text."""
    if reason is None:
        if required:
            raise ValidationError(field, "choose why the session was cancelled")
        return
    entry = reasons.get(reason.code)
    if entry is None:
        raise ValidationError(field, f"unknown reason {reason.code!r}")
    if entry.retired(now):
        raise ValidationError(field, f"{entry.label!r} is retired; choose another reason")
    if entry.needs_text and not reason.text:
        raise ValidationError(f"{field}_text", f"say more: {entry.label!r} needs a few words")


def check_marks_reasons(marks: Mapping[int, Attendance | None],
                        reasons: Mapping[int, CancellationReason | None],
                        known: Mapping[str, ReasonEntry], now: datetime) -> None:
    """Each client marked Cancelled or Late cancellation has a valid reason; a reason is given
    only with a mark that can take one."""
    for client_id, reason in reasons.items():
        if reason is not None and marks.get(client_id) not in MAY_TAKE_REASON:
            raise ValidationError(
                f"reason_{client_id}",
                "only Cancelled, Late cancellation or No show take a cancellation reason")
    for client_id, mark in marks.items():
        check_reason(reasons.get(client_id), known, now, required=reason_needed(mark),
                     field=f"reason_{client_id}")


def reason_code(label: str) -> str:
    """The stored code of a new reason: its label in lower case, words joined by ``_``."""
    code = re.sub(r"[^a-z0-9]+", "_", label.strip().lower()).strip("_")
    if not code:
        raise ValidationError("label", "give the reason a name")
    return code[:60]


def notice_hours(cancelled_at: datetime, starts_at: datetime) -> float:
    """Hours between the cancellation and the session start (negative once it had begun)."""
    return (starts_at - cancelled_at).total_seconds() / 3600


NOTICE_BUCKETS: tuple[tuple[str, float], ...] = (
    ("After the start", 0.0),
    ("Under 24 h", 24.0),
    ("24–48 h", 48.0),
    ("2–7 days", 168.0),
    ("Over 7 days", float("inf")),
)


def notice_bucket(hours: float) -> str:
    """The notice bucket a report groups by (upper bounds exclusive)."""
    for label, upper in NOTICE_BUCKETS:
        if hours < upper:
            return label
    return NOTICE_BUCKETS[-1][0]
