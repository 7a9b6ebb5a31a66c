"""Cancellation reasons: the list the manager keeps, and the record each cancellation leaves.

The record is append-only (``cancellations``): each use case that cancels an event or changes
a client's mark to or from a cancellation adds a row in its own transaction, so a report can
read the cancellations as they stood at any past instant.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

import pandas as pd

from thera_analytics.domain.actor import Actor, Role
from thera_analytics.domain.attendance import Attendance
from thera_analytics.domain.cancellation import (
    CancellationKind,
    CancellationReason,
    ReasonEntry,
    reason_code,
)
from thera_analytics.domain.details import MAX_NAME, clean_text
from thera_analytics.domain.errors import NotFoundError, PermissionDenied, ValidationError
from thera_analytics.service import audit
from thera_analytics.store import cancellations as stored
from thera_analytics.store.database import Cursor, Database

_KIND_OF_MARK = {
    Attendance.CANCELLED: CancellationKind.CANCELLED,
    Attendance.LATE_CANCELLATION: CancellationKind.LATE_CANCELLATION,
    Attendance.NO_SHOW: CancellationKind.NO_SHOW,
}


def load_reasons(cur: Cursor) -> dict[str, ReasonEntry]:
    """Every reason on the list, retired ones included (old records keep them)."""
    return stored.reasons(cur)


def reason_list(db: Database, *, include_retired: bool = True) -> pd.DataFrame:
    """The list as the manager sees it: code, label, needs_text, position, added/retired."""
    table = stored.reason_table(db)
    if not include_retired:
        table = table[table["retired_at"].isna()].reset_index(drop=True)
    return table


def _check_manager(actor: Actor, what: str) -> None:
    if actor.role is not Role.MANAGER:
        raise PermissionDenied(f"{what}: only a practice manager keeps the reasons list")


def add_reason(db: Database, actor: Actor, label: str, now: datetime, *,
               needs_text: bool = False) -> str:
    """Add a reason to the list (manager only); returns its code."""
    _check_manager(actor, "label")
    label = clean_text(label, "label", MAX_NAME).strip()
    code = reason_code(label)
    with db.transaction() as cur:
        known = load_reasons(cur)
        clash = [e for e in known.values()
                 if e.code == code or e.label.casefold() == label.casefold()]
        if clash:
            raise ValidationError("label", f"there is already a reason called {clash[0].label!r}")
        stored.add_reason(cur, code, label, bool(needs_text), now, actor.user_id)
        audit.record(cur, actor, now, "add_reason", "cancellation_reason", None, None,
                     {"code": code, "label": label, "needs_text": bool(needs_text)})
    return code


def retire_reason(db: Database, actor: Actor, code: str, now: datetime) -> None:
    """Take a reason off the choices (manager only); records that carry it keep it."""
    _check_manager(actor, "reason")
    with db.transaction() as cur:
        entry = load_reasons(cur).get(code)
        if entry is None:
            raise NotFoundError("reason", f"unknown reason {code!r}")
        if entry.retired_at is not None:
            raise ValidationError("reason", f"{entry.label!r} is already retired")
        stored.retire_reason(cur, code, now, actor.user_id)
        audit.record(cur, actor, now, "retire_reason", "cancellation_reason", None,
                     {"code": code, "retired_at": None}, {"code": code, "retired_at": now})


def record(cur: Cursor, actor: Actor, now: datetime, event_id: int, client_id: int | None,
           kind: CancellationKind, reason: CancellationReason | None,
           starts_at: datetime) -> None:
    """Append one cancellation row inside the caller's transaction."""
    stored.append(cur, event_id, client_id, kind.value, reason.code if reason else None,
                  reason.text if reason else "", int((starts_at - now).total_seconds() // 60),
                  now, actor.user_id)


def record_marks(cur: Cursor, actor: Actor, now: datetime, event_id: int, starts_at: datetime,
                 old: Mapping[int, Attendance | None], new: Mapping[int, Attendance | None],
                 reasons: Mapping[int, CancellationReason | None]) -> None:
    """For each client whose mark changed (or whose reason was given again), append the
    cancellation it now is, or ``withdrawn`` when it stopped being one."""
    for client_id, mark in new.items():
        kind = _KIND_OF_MARK.get(mark) if mark is not None else None
        reason = reasons.get(client_id)
        before = old.get(client_id)
        was = _KIND_OF_MARK.get(before) if before is not None else None
        if kind is None:
            if was is not None:
                record(cur, actor, now, event_id, client_id, CancellationKind.WITHDRAWN, None,
                       starts_at)
            continue
        if kind != was or reason is not None:
            record(cur, actor, now, event_id, client_id, kind, reason, starts_at)
