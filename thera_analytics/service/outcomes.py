"""Step 3 use cases: attendance or status, note, homework; signing; comments after the lock."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import cast

from thera_analytics.domain.actor import Actor
from thera_analytics.domain.attendance import SessionStatus, check_outcome_fits
from thera_analytics.domain.cancellation import check_marks_reasons
from thera_analytics.domain.details import clean_text
from thera_analytics.domain.errors import PermissionDenied, SigningError, ValidationError
from thera_analytics.domain.outcome_change import UNCHANGED, OutcomeChange
from thera_analytics.domain.permissions import can_comment, is_owner
from thera_analytics.domain.signing import check_can_change, check_can_sign
from thera_analytics.service import audit, cancellations, records
from thera_analytics.service.amending import record_amendment
from thera_analytics.service.guard import bump_version, check_change, load_for_change
from thera_analytics.store import history
from thera_analytics.store import records as stored
from thera_analytics.store.database import Cursor, Database


def save_outcome(db: Database, actor: Actor, event_id: int, version: int, now: datetime,
                 change: OutcomeChange) -> int:
    """Save step 3: only the fields ``change`` carries change. Returns the new version."""
    with db.transaction() as cur:
        return _write_outcome(cur, actor, event_id, version, now, change)


def save_and_sign(db: Database, actor: Actor, event_id: int, version: int, now: datetime,
                  change: OutcomeChange) -> int:
    """Save step 3 and sign the note in one transaction: if signing is refused (the plan
    missing, the outcome not marked, ...), nothing is saved. Returns the new version."""
    with db.transaction() as cur:
        saved = _write_outcome(cur, actor, event_id, version, now, change)
        return _sign(cur, actor, event_id, saved, now)


def _write_outcome(cur: Cursor, actor: Actor, event_id: int, version: int, now: datetime,
                   change: OutcomeChange) -> int:
    """The outcome rules and writes, inside the caller's transaction.

    A client newly marked Cancelled or Late cancellation needs a reason in ``change.reasons``;
    No show may take one. A value equal to the stored one is no change (a repeated save writes
    nothing). Within 24 h of signing each change is kept as an amendment; after that the record
    is locked."""
    if change.empty:
        return version  # nothing changed: no new version, no audit row
    marks, why, status = change.attendance, change.reasons, change.status
    rec = load_for_change(cur, actor, event_id, version, "outcome")
    if not rec.is_client_event:
        raise ValidationError("outcome", f"a {rec.kind.label} event has no outcome step")
    check_can_change(rec.signed_at, now, "outcome")
    check_outcome_fits(bool(rec.direct), bool(marks), status is not UNCHANGED)
    unknown = sorted(set(marks) - set(rec.client_ids))
    if unknown:
        raise ValidationError("attendance", f"client(s) {unknown} are not in this session")
    enabled = rec.homework_enabled if change.homework_enabled is None else change.homework_enabled
    shared = rec.homework_shared if change.homework_shared is None else change.homework_shared
    if shared and not enabled:
        raise ValidationError("homework_shared", "enable the homework before sharing it")
    if status is None and rec.signed_at is not None and rec.status is not None:
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
    for client_id, mark in changed_marks.items():
        if signed and mark is None:
            raise ValidationError("attendance", "a signed session keeps every attendance")
        stored.mark_attendance(cur, event_id, client_id, mark)
        before[f"attendance[{client_id}]"] = old_marks[client_id]
        after[f"attendance[{client_id}]"] = mark
        if signed:
            record_amendment(cur, actor, now, event_id, "attendance", old_marks[client_id],
                             mark, client_id)
    olds: dict[str, object] = {
        "status": rec.status, "note": rec.note, "homework": rec.homework,
        "homework_enabled": rec.homework_enabled, "homework_shared": rec.homework_shared}
    given_fields: dict[str, object] = {
        "note": change.note, "homework": change.homework,
        "homework_enabled": change.homework_enabled, "homework_shared": change.homework_shared}
    fields = {k: v for k, v in given_fields.items() if v is not None and v != olds[k]}
    if status is not UNCHANGED and status != rec.status:
        fields["status"] = status
    for key, value in fields.items():
        before[key] = olds[key]
        after[key] = value
        if signed:
            record_amendment(cur, actor, now, event_id, key, olds[key], value)
    for client_id, reason in why.items():
        if reason is not None:
            after[f"reason_{client_id}"] = reason.code
    if not after:
        return version  # every value was the stored one: no new version, no audit row
    cancellations.record_marks(cur, actor, now, event_id, rec.start, old_marks, touched, why)
    final_status = cast(SessionStatus | None, fields.get("status", rec.status))
    stored.save_outcome(cur, event_id, final_status, str(fields.get("note", rec.note)),
                        str(fields.get("homework", rec.homework)), enabled, shared, now,
                        actor.user_id)
    saved = replace(rec, status=final_status, clients=tuple(
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
        return _sign(cur, actor, event_id, version, now)


def _sign(cur: Cursor, actor: Actor, event_id: int, version: int, now: datetime) -> int:
    rec = records.load_state(cur, event_id)
    if not rec.is_client_event:
        raise SigningError(f"signature: a {rec.kind.label} event has no note to sign")
    check_can_sign(signed_at=rec.signed_at, plan_saved=rec.plan_saved_at is not None,
                   outcome_marked=rec.outcome_marked,
                   is_owner=is_owner(actor, rec.clinician_id))
    check_change(actor, rec, version, "signature")
    if now < rec.start:
        raise SigningError("signature: a session can be signed once it has started")
    stored.sign(cur, event_id, now, actor.user_id)
    signed = replace(rec, signed_at=now, signer_id=actor.user_id)
    completion = signed.completion
    new_version = bump_version(cur, event_id, version, actor, now, completion)
    history.record_known(cur, signed, new_version, now, completion, actor.user_id)
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
        if not can_comment(actor, rec.clinician_id, rec.team_member_ids):
            raise PermissionDenied("comment: only the session's clinicians or a manager can"
                                   " comment on it")
        comment_id = stored.add_comment(cur, event_id, body, now, actor.user_id)
        audit.record(cur, actor, now, "comment", "event", event_id, None,
                     {"comment_id": comment_id, "body": body})
    return comment_id
