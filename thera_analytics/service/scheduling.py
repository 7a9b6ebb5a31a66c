"""Step 1 use cases: create (once or as a series), change details, reschedule, cancel."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from enum import StrEnum

from thera_analytics.domain.actor import Actor
from thera_analytics.domain.cancellation import (
    CancellationKind,
    CancellationReason,
    check_reason,
)
from thera_analytics.domain.details import (
    EventDetails,
    validate_details,
)
from thera_analytics.domain.errors import LockedError, NotFoundError, ValidationError
from thera_analytics.domain.local_time import LocalKeys, to_instant, to_local
from thera_analytics.domain.record import ClientMark, EventRecord
from thera_analytics.domain.recurrence import Recurrence, occurrences
from thera_analytics.service import audit, cancellations, records
from thera_analytics.service.guard import bump_version, check_owner, load_for_change
from thera_analytics.service.overlaps import (  # noqa: F401 - Overlap re-exported
    Overlap,
    OverlapError,
    clashing_spans,
    find_overlaps,
)
from thera_analytics.service.reminder_sync import sync_reminders
from thera_analytics.store import events, history, reminders
from thera_analytics.store.database import Cursor, Database
from thera_analytics.store.derived import refresh_first_visits


class Scope(StrEnum):
    THIS = "this"
    FOLLOWING = "following"


def _check_references(cur: Cursor, d: EventDetails) -> None:
    """Unknown clinicians, services, clients and third parties are refused by name."""
    if not events.active_clinician(cur, d.clinician_id):
        raise NotFoundError("clinician", f"no active clinician {d.clinician_id}")
    if d.service_id is not None and not events.active_service(cur, d.service_id):
        raise NotFoundError("service", f"no active service {d.service_id}")
    for field, table, ids in (
        ("clients", "clients", d.client_ids),
        ("team_members", "clinicians", d.team_member_ids),
        ("third_parties", "third_parties", d.third_party_ids),
    ):
        if not ids:
            continue
        known = events.known_ids(cur, table, ids)
        missing = [i for i in ids if i not in known]
        if missing:
            raise NotFoundError(field, f"unknown {field.replace('_', ' ')} {missing}")


def _instants(db: Database, d: EventDetails) -> EventDetails:
    return replace(d, start=to_instant(d.start, db.zone, "start"),
                   end=to_instant(d.end, db.zone, "end"))


def _insert_event(cur: Cursor, db: Database, d: EventDetails, actor: Actor, now: datetime,
                  series_id: int | None, series_index: int | None) -> int:
    event_id = events.insert(cur, d, LocalKeys.of(d.start, db.zone), now, actor.user_id,
                             series_id, series_index)
    _write_people(cur, event_id, d, now)
    return event_id


def _write_people(cur: Cursor, event_id: int, d: EventDetails, now: datetime) -> None:
    """(Re)write clients, team, third parties and pending reminders; keep attendance marks."""
    events.write_people(cur, event_id, d)
    sync_reminders(cur, event_id, d.start, d.reminders, now)


def create_event(db: Database, actor: Actor, details: EventDetails, now: datetime, *,
                 repeat: Recurrence | None = None, allow_overlap: bool = False) -> list[int]:
    """Create an event (or a weekly/fortnightly series); return the new event ids.

    ``details.start``/``end`` may be wall-clock times in the practice's zone (naive) or
    instants. Each occurrence of a series keeps the wall-clock time of the first.
    """
    check_owner(actor, details.clinician_id, "clinician")
    first = validate_details(_instants(db, details))
    if repeat is None:
        drafts = [first]
    else:
        local_start = to_local(first.start, db.zone)
        local_span = to_local(first.end, db.zone) - local_start
        drafts = []
        for when in occurrences(local_start, repeat):
            drafts.append(replace(first, start=to_instant(when, db.zone, "start"),
                                  end=to_instant(when + local_span, db.zone, "end")))
    with db.transaction() as cur:
        _check_references(cur, first)
        if not allow_overlap:
            spans = [(d.start, d.end) for d in drafts]
            clashes = find_overlaps(cur, first.clinician_id, spans)
            if clashes:
                raise OverlapError(clashes, clashing_spans(clashes, spans))
        series_id = None
        if repeat is not None:
            series_id = events.insert_series(cur, first.clinician_id, repeat.interval_weeks,
                                             now)
        ids = []
        for i, d in enumerate(drafts):
            event_id = _insert_event(cur, db, d, actor, now, series_id,
                                     i if series_id is not None else None)
            history.record(cur, event_id, now)
            audit.record(cur, actor, now, "create_event", "event", event_id, None, _summary(d))
            ids.append(event_id)
        refresh_first_visits(cur, first.client_ids)
    return ids


def _summary(d: EventDetails) -> dict[str, object]:
    return {
        "kind": d.kind.value, "clinician_id": d.clinician_id, "title": d.title,
        "start": d.start, "end": d.end, "service_id": d.service_id,
        "client_ids": list(d.client_ids), "direct": d.direct,
        "team_member_ids": list(d.team_member_ids),
        "third_party_ids": list(d.third_party_ids),
        "reminders": [(r.recipient_kind.value, r.recipient_id, r.channel.value, r.lead_minutes)
                      for r in d.reminders],
        "video_link": d.video_link,
    }


def _details_of(rec: EventRecord) -> EventDetails:
    return EventDetails(
        kind=rec.kind, clinician_id=rec.clinician_id, start=rec.start, end=rec.end,
        title=rec.title, service_id=rec.service_id, client_ids=rec.client_ids,
        direct=rec.direct, team_member_ids=rec.team_member_ids,
        third_party_ids=rec.third_party_ids, reminders=rec.reminders, video_link=rec.video_link,
    )


def _refuse_if_signed(rec: EventRecord, what: str) -> None:
    if rec.signed_at is not None:
        raise LockedError(
            f"{what}: this session's note is signed, so its details and time can no longer "
            "change; add a comment instead"
        )


def update_details(db: Database, actor: Actor, event_id: int, version: int,
                   details: EventDetails, now: datetime, *,
                   allow_overlap: bool = False) -> int:
    """Save step 1 again (kind, people, service, reminders, and time); return the new version."""
    new = validate_details(_instants(db, details))
    with db.transaction() as cur:
        rec = load_for_change(cur, actor, event_id, version, "details", whole=True)
        _refuse_if_signed(rec, "details")
        if new.clinician_id != rec.clinician_id:
            raise ValidationError("clinician", "an event cannot be handed to another clinician")
        if new.kind.is_client_event != rec.kind.is_client_event:
            raise ValidationError("kind", "a client event cannot become a non-client event")
        marked = any(c.attendance is not None for c in rec.clients)
        if rec.direct and not new.direct and marked:
            raise ValidationError("direct", "clear the attendance before making it indirect")
        if rec.direct is False and new.direct and rec.status is not None:
            raise ValidationError("direct", "clear the status before making it direct")
        _check_references(cur, new)
        if not allow_overlap and (new.start, new.end) != (rec.start, rec.end):
            clashes = find_overlaps(cur, new.clinician_id, [(new.start, new.end)], (event_id,))
            if clashes:
                raise OverlapError(clashes)
        # The event row is updated before its child rows change: DuckDB refuses an UPDATE of a
        # referenced row after rows pointing at it were deleted in the same transaction.
        marks = {c.client_id: c for c in rec.clients}
        changed = replace(rec, kind=new.kind, service_id=new.service_id, direct=new.direct,
                          clients=tuple(marks.get(c, ClientMark(c, "", None))
                                        for c in new.client_ids))
        new_version = bump_version(cur, event_id, version, actor, now, changed.completion)
        events.update_details(cur, event_id, new, LocalKeys.of(new.start, db.zone))
        _write_people(cur, event_id, new, now)
        history.record(cur, event_id, now)
        if set(rec.client_ids) != set(new.client_ids) or new.start != rec.start:
            refresh_first_visits(cur, {*rec.client_ids, *new.client_ids})
        audit.record(cur, actor, now, "update_details", "event", event_id,
                     _summary(_details_of(rec)), _summary(new))
    return new_version


def parse_scope(value: Scope | str) -> Scope:
    """``this`` event or it and all ``following`` in its series."""
    try:
        return Scope(value)
    except ValueError:
        raise ValidationError("scope", f"{value!r} is not 'this' or 'following'") from None


def _targets(cur: Cursor, rec: EventRecord, scope: Scope) -> list[EventRecord]:
    if parse_scope(scope) is Scope.THIS or rec.series_id is None:
        return [rec]
    return [records.load(cur, i) for i in events.series_from(cur, rec.series_id, rec.start)]


def reschedule(db: Database, actor: Actor, event_id: int, version: int, start: datetime,
               end: datetime, now: datetime, *, scope: Scope | str = Scope.THIS,
               allow_overlap: bool = False) -> list[int]:
    """Move an event (or it and the rest of its series, by the same wall-clock shift)."""
    zone = db.zone
    new_start = to_instant(start, zone, "start")
    new_end = to_instant(end, zone, "end")
    if new_end <= new_start:
        raise ValidationError("end", "the end must be after the start")
    with db.transaction() as cur:
        rec = load_for_change(cur, actor, event_id, version, "start", whole=True)
        shift = to_local(new_start, zone) - to_local(rec.start, zone)
        span = to_local(new_end, zone) - to_local(new_start, zone)
        moves = []
        for target in _targets(cur, rec, parse_scope(scope)):
            _refuse_if_signed(target, "start")
            local = to_local(target.start, zone) + shift
            moved_start = to_instant(local, zone, "start")
            moved_end = to_instant(local + span, zone, "end")
            validate_details(replace(_details_of(target), start=moved_start, end=moved_end))
            moves.append((target, moved_start, moved_end))
        if not allow_overlap:
            ids = tuple(t.id for t, _, _ in moves)
            spans = [(s, e) for _, s, e in moves]
            clashes = find_overlaps(cur, rec.clinician_id, spans, ids)
            if clashes:
                raise OverlapError(clashes, clashing_spans(clashes, spans))
        for target, s, e in moves:
            events.move(cur, target.id, s, e, LocalKeys.of(s, zone))
            bump_version(cur, target.id, target.version, actor, now, target.completion)
            history.record(cur, target.id, now)
            sync_reminders(cur, target.id, s, target.reminders, now)
            audit.record(cur, actor, now, "reschedule", "event", target.id,
                         {"start": target.start, "end": target.end}, {"start": s, "end": e})
        refresh_first_visits(cur, {c for t, _, _ in moves for c in t.client_ids})
    return [t.id for t, _, _ in moves]


def cancel(db: Database, actor: Actor, event_id: int, version: int, now: datetime, *,
           scope: Scope | str = Scope.THIS,
           reason: CancellationReason | str | tuple[str, str] | None = None) -> list[int]:
    """Take an event (or it and the rest of its series) off the calendar; cancel reminders.

    This withdraws a booking; a client's own cancellation is recorded as attendance instead.
    A client event needs a ``reason`` from the practice's list (a code, or ``(code, text)``).
    """
    why = CancellationReason.parse(reason)
    with db.transaction() as cur:
        rec = load_for_change(cur, actor, event_id, version, "cancel", whole=True)
        check_reason(why, cancellations.load_reasons(cur), now,
                     required=rec.is_client_event)
        targets = _targets(cur, rec, parse_scope(scope))
        for target in targets:
            _refuse_if_signed(target, "cancel")
        for target in targets:
            if why is not None:
                cancellations.record(cur, actor, now, target.id, None, CancellationKind.EVENT,
                                     why, target.start)
            events.cancel(cur, target.id, now)
            bump_version(cur, target.id, target.version, actor, now, target.completion)
            history.record(cur, target.id, now)
            reminders.cancel_pending_of_event(cur, target.id)
            audit.record(cur, actor, now, "cancel", "event", target.id,
                         {"cancelled_at": None},
                         {"cancelled_at": now, **({"reason": why.code} if why else {})})
        refresh_first_visits(cur, {c for t in targets for c in t.client_ids})
    return [t.id for t in targets]


def week_of(day: date) -> date:
    """Monday of the week containing ``day``."""
    return day - timedelta(days=day.weekday())
