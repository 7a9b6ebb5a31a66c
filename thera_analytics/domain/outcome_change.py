"""A change to step 3 (attendance or status, note, homework, cancellation reasons): only the
fields that changed, built once by whoever saw the difference (the outcome form from its diff,
the command line or a test from what it was told)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from enum import Enum
from types import MappingProxyType
from typing import Any, Final

from thera_analytics.domain.attendance import Attendance, SessionStatus
from thera_analytics.domain.cancellation import CancellationReason
from thera_analytics.domain.details import clean_text
from thera_analytics.domain.errors import ValidationError


class _Unchanged(Enum):
    UNCHANGED = "unchanged"


UNCHANGED: Final = _Unchanged.UNCHANGED
"""The status is left as it is; ``status=None`` clears it ("Not marked")."""

Marks = Mapping[int, Attendance | None]
Reasons = Mapping[int, CancellationReason | None]
RawReason = CancellationReason | str | tuple[str, str] | Mapping[str, str] | None


def _frozen(mapping: Mapping[int, object]) -> Mapping[int, object]:
    return MappingProxyType(dict(mapping))


@dataclass(frozen=True)
class OutcomeChange:
    """What a save of step 3 changes. A field left at its default is not changed:
    ``attendance`` holds only the clients whose mark changes (``None`` clears a mark),
    ``status`` is ``UNCHANGED`` unless given (``None`` clears it), ``reasons`` holds the
    cancellation reasons given with the marks."""

    attendance: Marks = field(default_factory=dict)
    status: SessionStatus | None | _Unchanged = UNCHANGED
    note: str | None = None
    homework: str | None = None
    homework_enabled: bool | None = None
    homework_shared: bool | None = None
    reasons: Reasons = field(default_factory=dict)

    def __post_init__(self) -> None:
        for client_id, mark in self.attendance.items():
            if not isinstance(client_id, int) or not (mark is None
                                                      or isinstance(mark, Attendance)):
                raise ValidationError("attendance", f"{client_id!r}: {mark!r} is not a mark")
        for client_id, reason in self.reasons.items():
            if not isinstance(client_id, int) or not (reason is None
                                                      or isinstance(reason, CancellationReason)):
                raise ValidationError(f"reason_{client_id}", f"{reason!r} is not a reason")
        if not (self.status is UNCHANGED or self.status is None
                or isinstance(self.status, SessionStatus)):
            raise ValidationError("status", f"{self.status!r} is not a status")
        for name in ("note", "homework"):
            value = getattr(self, name)
            if value is not None:
                object.__setattr__(self, name, clean_text(value, name))
        for name in ("homework_enabled", "homework_shared"):
            if getattr(self, name) not in (None, True, False):
                raise ValidationError(name, f"{getattr(self, name)!r} is not yes or no")
        object.__setattr__(self, "attendance", _frozen(self.attendance))
        object.__setattr__(self, "reasons", _frozen(self.reasons))

    @classmethod
    def of(
        cls,
        *,
        attendance: Mapping[Any, Attendance | str | None] | None = None,
        status: SessionStatus | str | None | _Unchanged = UNCHANGED,
        note: str | None = None,
        homework: str | None = None,
        homework_enabled: bool | None = None,
        homework_shared: bool | None = None,
        reasons: Mapping[Any, RawReason] | None = None,
    ) -> OutcomeChange:
        """A change from values as typed or sent (``"attended"``, ``"no show"``, a reason's
        code or ``(code, text)``); bad input is refused naming its field."""
        marks = {_client_id(k, "attendance"): (Attendance.parse(v) if v is not None else None)
                 for k, v in (attendance or {}).items()}
        why = {_client_id(k, f"reason_{k}"): CancellationReason.parse(v, f"reason_{k}")
               for k, v in (reasons or {}).items()}
        parsed_status = (status if status is None or status is UNCHANGED
                         else SessionStatus.parse(status))
        return cls(attendance=marks, status=parsed_status, note=note, homework=homework,
                   homework_enabled=homework_enabled, homework_shared=homework_shared,
                   reasons=why)

    @property
    def empty(self) -> bool:
        """Nothing is changed."""
        return all(getattr(self, f.name) == f.default or (
            f.name in ("attendance", "reasons") and not getattr(self, f.name))
            for f in fields(self))


def _client_id(value: int | str, field_name: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ValidationError(field_name, f"{value!r} is not a client") from None
