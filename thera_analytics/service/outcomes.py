"""Step 3 use cases: attendance or status, note, homework; signing; comments after the lock."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime
from enum import Enum
from typing import Final, cast

from thera_analytics.domain.actor import Actor, Role
from thera_analytics.domain.attendance import Attendance, SessionStatus, check_outcome_fits
from thera_analytics.domain.cancellation import CancellationReason, check_marks_reasons
from thera_analytics.domain.details import clean_text
from thera_analytics.domain.errors import PermissionDenied, SigningError, ValidationError
from thera_analytics.domain.signing import check_can_change, check_can_sign
from thera_analytics.service import audit, cancellations, records
from thera_analytics.service.amending import record_amendment
from thera_analytics.service.guard import bump_version, check_change, load_for_change
from thera_analytics.store import history
from thera_analytics.store.database import Database


class _Unchanged(Enum):
    UNCHANGED = "unchanged"


UNCHANGED: Final = _Unchanged.UNCHANGED
"""Leave the status as it is (the default); ``status=None`` clears it ("Not marked")."""


def save_outcome(
    db: Database,
    actor: Actor,
    event_id: int,
    version: int,
    now: datetime,
    *,
    attendance: Mapping[int, Attendance | str | None] | None = None,
    status: SessionStatus | str | None | _Unchanged = UNCHANGED,
    note: str | None = None,
    homework: str | None = None,
    homework_enabled: bool | None = None,
    homework_shared: bool | None = None,
    reasons: Mapping[int, CancellationReason | str | tuple[str, str] | None] | None = None,
) -> int:
    """Save step 3: only what is given changes. ``status=None`` ("Not marked") clears the
    status, as ``None`` in ``attendance`` clears a client's mark.

    A client newly marked Cancelled or Late cancellation needs a reason in ``reasons``
    (``{client_id: code}`` or ``(code, text)``); No show may take one.

    Within 24 h of signing each change is kept as an amendment; after that the record is
    locked. Returns the new version."""
    marks = {int(k): (Attendance.parse(v) if v is not None else None)
             for k, v in (attendance or {}).items()}
    clear_status = status is None
    new_status = (SessionStatus.parse(status)
                  if status is not None and status is not UNCHANGED else None)
    why = {int(k): CancellationReason.parse(v, f"reason_{k}")
           for k, v in (reasons or {}).items()}
    note = clean_text(note, "note") if note is not None else None
    homework = clean_text(homework, "homework") if homework is not None else None
    with db.transaction() as cur:
        rec = load_for_change(cur, actor, event_id, version, "outcome")
        if not rec.is_client_event:
            raise ValidationError("outcome", f"a {rec.kind.label} event has no outcome step")
        check_can_change(rec.signed_at, now, "outcome")
        check_outcome_fits(bool(rec.direct), bool(marks), status is not UNCHANGED)
        unknown = sorted(set(marks) - set(rec.client_ids))
        if unknown:
            raise ValidationError("attendance", f"client(s) {unknown} are not in this session")
        enabled = rec.homework_enabled if homework_enabled is None else bool(homework_enabled)
        shared = rec.homework_shared if homework_shared is None else bool(homework_shared)
        if shared and not enabled:
            raise ValidationError("homework_shared", "enable the homework before sharing it")
        if clear_status and rec.signed_at is not None and rec.status is not None:
            raise ValidationError("status", "a signed session keeps its status")
        signed = rec.signed_at is not None
        before: dict[str, object] = {}
        after: dict[str, object] = {}
        old_marks = {c.client_id: c.attendance for c in rec.clients}
        unknown = sorted(set(why) - set(rec.client_ids))
        if unknown:
            raise ValidationError(f"reason_{unknown[0]}", "that client is not in this session")
        changed_marks = {c: m for c, m in marks.items() if old_marks[c] != m}
        # Clients whose mark changes, or who are given a reason, as they will be marked.
        given = {c for c, r in why.items() if r is not None}
        touched = {c: changed_marks.get(c, old_marks[c]) for c in {*changed_marks, *given}}
        if touched:
            check_marks_reasons(touched, why, cancellations.load_reasons(cur), now)
        for client_id, mark in marks.items():
            if old_marks[client_id] == mark:
                continue
            if signed and mark is None:
                raise ValidationError("attendance", "a signed session keeps every attendance")
            cur.execute("UPDATE event_clients SET attendance = ? WHERE event_id = ?"
                        " AND client_id = ?", [mark.value if mark else None, event_id,
                                                client_id])
            before[f"attendance[{client_id}]"] = old_marks[client_id]
            after[f"attendance[{client_id}]"] = mark
            if signed:
                record_amendment(cur, actor, now, event_id, "attendance", old_marks[client_id],
                                 mark, client_id)
        fields: dict[str, object] = {}
        if new_status is not None and new_status != rec.status:
            fields["status"] = new_status
        elif clear_status and rec.status is not None:
            fields["status"] = None
        for key, value, old in (("note", note, rec.note), ("homework", homework, rec.homework),
                                ("homework_enabled", homework_enabled, rec.homework_enabled),
                                ("homework_shared", homework_shared, rec.homework_shared)):
            if value is not None and value != old:
                fields[key] = value
        olds = {"status": rec.status, "note": rec.note, "homework": rec.homework,
                "homework_enabled": rec.homework_enabled,
                "homework_shared": rec.homework_shared}
        for key, changed in fields.items():
            before[key] = olds[key]
            after[key] = changed
            if signed:
                record_amendment(cur, actor, now, event_id, key, olds[key], changed)
        for client_id, reason in why.items():
            if reason is not None:
                after[f"reason_{client_id}"] = reason.code
        if not before and not fields and not after:
            return version  # nothing changed: no new version, no audit row
        cancellations.record_marks(
            cur, actor, now, event_id, rec.start, old_marks,
            touched, why)
        final_status = fields.get("status", rec.status)
        cur.execute(
            "INSERT INTO outcomes (event_id, status, note, homework, homework_enabled,"
            " homework_shared, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (event_id) DO UPDATE SET status = excluded.status,"
            " note = excluded.note, homework = excluded.homework,"
            " homework_enabled = excluded.homework_enabled,"
            " homework_shared = excluded.homework_shared, updated_at = excluded.updated_at,"
            " updated_by = excluded.updated_by",
            [event_id, getattr(final_status, "value", None),
             fields.get("note", rec.note), fields.get("homework", rec.homework),
             enabled, shared, now, actor.user_id],
        )
        saved = replace(rec, status=cast(SessionStatus | None, final_status), clients=tuple(
            replace(c, attendance=marks.get(c.client_id, c.attendance)) for c in rec.clients))
        new_version = bump_version(cur, event_id, version, actor, now, saved.completion)
        history.record(cur, event_id, now)
        audit.record(cur, actor, now, "amend_outcome" if signed else "save_outcome", "event",
                     event_id, before, after)
    return new_version


def sign(db: Database, actor: Actor, event_id: int, version: int, now: datetime) -> int:
    """Sign the note: owner only, once, with the plan saved and the outcome marked. Returns
    the new version."""
    with db.transaction() as cur:
        rec = records.load_state(cur, event_id)
        is_owner = actor.role is Role.CLINICIAN and actor.clinician_id == rec.clinician_id
        if not rec.is_client_event:
            raise SigningError(f"signature: a {rec.kind.label} event has no note to sign")
        check_can_sign(signed_at=rec.signed_at, plan_saved=rec.plan_saved_at is not None,
                       outcome_marked=rec.outcome_marked, is_owner=is_owner)
        check_change(actor, rec, version, "signature")
        if now < rec.start:
            raise SigningError("signature: a session can be signed once it has started")
        cur.execute(
            "INSERT INTO outcomes (event_id, updated_at, updated_by, signed_at, signed_by)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (event_id) DO UPDATE SET"
            " signed_at = excluded.signed_at, signed_by = excluded.signed_by",
            [event_id, now, actor.user_id, now, actor.user_id],
        )
        signed = replace(rec, signed_at=now)
        new_version = bump_version(cur, event_id, version, actor, now, signed.completion)
        history.record(cur, event_id, now, clients=False)
        audit.record(cur, actor, now, "sign", "event", event_id, {"signed_at": None},
                     {"signed_at": now})
    return new_version


def add_comment(db: Database, actor: Actor, event_id: int, body: str, now: datetime) -> int:
    """Add an addendum; comments are the one thing allowed after the lock. Returns its id."""
    body = clean_text(body, "comment").strip()
    if not body:
        raise ValidationError("comment", "write something first")
    with db.transaction() as cur:
        rec = records.load(cur, event_id)
        allowed = (actor.role is Role.MANAGER or (
            actor.role is Role.CLINICIAN and (actor.clinician_id == rec.clinician_id
                                              or actor.clinician_id in rec.team_member_ids)))
        if not allowed:
            raise PermissionDenied("comment: only the session's clinicians or a manager can"
                                   " comment on it")
        row = cur.execute("SELECT nextval('comment_id_seq')").fetchone()
        assert row is not None
        comment_id = int(row[0])
        cur.execute("INSERT INTO comments VALUES (?, ?, ?, ?, ?)",
                    [comment_id, event_id, actor.user_id, now, body])
        audit.record(cur, actor, now, "comment", "event", event_id, None,
                     {"comment_id": comment_id, "body": body})
    return comment_id
