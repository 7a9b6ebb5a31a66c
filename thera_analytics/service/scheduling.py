"""Step 1 use cases: create (once or as a series), change details, reschedule, cancel."""

from __future__ import annotations

from dataclasses import dataclass, replace
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
    RecipientKind,
    ReminderRequest,
    reminder_due_at,
    validate_details,
)
from thera_analytics.domain.errors import LockedError, NotFoundError, PracticeError, ValidationError
from thera_analytics.domain.local_time import LocalKeys, to_instant, to_local
from thera_analytics.domain.record import ClientMark, EventRecord
from thera_analytics.domain.recurrence import Recurrence, occurrences
from thera_analytics.service import audit, cancellations, records
from thera_analytics.service.guard import bump_version, check_owner, load_for_change
from thera_analytics.store import history
from thera_analytics.store.database import Cursor, Database
from thera_analytics.store.derived import refresh_first_visits


class Scope(StrEnum):
    THIS = "this"
    FOLLOWING = "following"


@dataclass(frozen=True)
class Overlap:
    event_id: int
    kind: str
    title: str
    start: datetime
    end: datetime


class OverlapError(PracticeError):
    """The clinician already has events at that time; the caller may save anyway."""

    def __init__(self, overlaps: list[Overlap], clashing: int = 1) -> None:
        first = overlaps[0]
        more = f" and {len(overlaps) - 1} more" if len(overlaps) > 1 else ""
        super().__init__(
            f"start: overlaps event {first.event_id} ({first.kind}, "
            f"{first.start:%Y-%m-%d %H:%M}-{first.end:%H:%M} UTC){more}; save anyway to proceed"
        )
        self.overlaps = overlaps
        self.clashing = clashing  # how many of the sessions being saved clash


def clashing_spans(overlaps: list[Overlap], spans: list[tuple[datetime, datetime]]) -> int:
    """How many of ``spans`` (the sessions being saved) overlap one of ``overlaps``."""
    return sum(any(o.start < e and o.end > s for o in overlaps) for s, e in spans)


def find_overlaps(cur: Cursor, clinician_id: int, spans: list[tuple[datetime, datetime]],
                  exclude: tuple[int, ...] = ()) -> list[Overlap]:
    """Live events of the clinician that overlap any of ``spans``."""
    if not spans:
        return []
    lo, hi = min(s for s, _ in spans), max(e for _, e in spans)
    candidates = cur.execute(
        "SELECT id, kind, title, starts_at, ends_at FROM events"
        " WHERE clinician_id = ? AND cancelled_at IS NULL AND starts_at < ? AND ends_at > ?"
        " ORDER BY starts_at",
        [clinician_id, hi, lo],
    ).fetchall()
    rows = [r for r in candidates if any(r[3] < e and r[4] > s for s, e in spans)]
    return [Overlap(int(r[0]), r[1], r[2], r[3], r[4]) for r in rows if int(r[0]) not in exclude]


def _check_references(cur: Cursor, d: EventDetails) -> None:
    """Unknown clinicians, services, clients and third parties are refused by name."""
    if not cur.execute("SELECT 1 FROM clinicians WHERE id = ? AND active", [d.clinician_id]
                       ).fetchone():
        raise NotFoundError("clinician", f"no active clinician {d.clinician_id}")
    if d.service_id is not None and not cur.execute(
        "SELECT 1 FROM services WHERE id = ? AND active", [d.service_id]
    ).fetchone():
        raise NotFoundError("service", f"no active service {d.service_id}")
    for field, table, ids in (
        ("clients", "clients", d.client_ids),
        ("team_members", "clinicians", d.team_member_ids),
        ("third_parties", "third_parties", d.third_party_ids),
    ):
        if not ids:
            continue
        known = {int(r[0]) for r in cur.execute(
            f"SELECT id FROM {table} WHERE id IN (SELECT unnest(?))", [list(ids)]
        ).fetchall()}
        missing = [i for i in ids if i not in known]
        if missing:
            raise NotFoundError(field, f"unknown {field.replace('_', ' ')} {missing}")


def _instants(db: Database, d: EventDetails) -> EventDetails:
    return replace(d, start=to_instant(d.start, db.zone, "start"),
                   end=to_instant(d.end, db.zone, "end"))


def _insert_event(cur: Cursor, db: Database, d: EventDetails, actor: Actor, now: datetime,
                  series_id: int | None, series_index: int | None) -> int:
    row = cur.execute("SELECT nextval('event_id_seq')").fetchone()
    assert row is not None
    event_id = int(row[0])
    keys = LocalKeys.of(d.start, db.zone)
    cur.execute(
        "INSERT INTO events (id, kind, clinician_id, title, starts_at, ends_at, duration_minutes,"
        " local_start, local_date, week_start, month_key, weekday, service_id, direct,"
        " video_link, series_id, series_index, cancelled_at, version, created_at, created_by,"
        " updated_at, updated_by, dot_details, dot_plan, dot_outcome, completed_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, 1, ?, ?, ?, ?, ?,"
        " FALSE, FALSE, NULL)",
        [event_id, d.kind.value, d.clinician_id, d.title, d.start, d.end,
         int((d.end - d.start).total_seconds() // 60), keys.local_start, keys.local_date,
         keys.week_start, keys.month_key, keys.weekday, d.service_id, d.direct, d.video_link,
         series_id, series_index, now, actor.user_id, now, actor.user_id,
         d.kind.is_client_event and d.service_id is not None and bool(d.client_ids)],
    )
    _write_people(cur, event_id, d, now)
    return event_id


def _write_people(cur: Cursor, event_id: int, d: EventDetails, now: datetime) -> None:
    """(Re)write clients, team, third parties and pending reminders; keep attendance marks."""
    current = {int(r[0]) for r in cur.execute(
        "SELECT client_id FROM event_clients WHERE event_id = ?", [event_id]).fetchall()}
    for gone in current - set(d.client_ids):
        cur.execute("DELETE FROM event_clients WHERE event_id = ? AND client_id = ?",
                    [event_id, gone])
    for client_id in d.client_ids:
        if client_id not in current:
            cur.execute("INSERT INTO event_clients (event_id, client_id, attendance)"
                        " VALUES (?, ?, NULL)", [event_id, client_id])
    cur.execute("DELETE FROM event_team_members WHERE event_id = ?", [event_id])
    for cid in d.team_member_ids:
        cur.execute("INSERT INTO event_team_members VALUES (?, ?)", [event_id, cid])
    cur.execute("DELETE FROM event_third_parties WHERE event_id = ?", [event_id])
    for tid in d.third_party_ids:
        cur.execute("INSERT INTO event_third_parties VALUES (?, ?)", [event_id, tid])
    sync_reminders(cur, event_id, d.start, d.reminders, now)


def sync_reminders(cur: Cursor, event_id: int, start: datetime,
                   wanted: tuple[ReminderRequest, ...], now: datetime) -> None:
    """Make the event's reminders match ``wanted`` for a session starting at ``start``.

    Pending reminders move with the session; ones no longer wanted are cancelled (kept for the
    record). A reminder already sent for this very time is not queued again; one sent for an
    earlier time is queued afresh, so the recipient hears of the new time. A reminder whose
    time has passed is due at once while the session is still ahead; a new one asked for a
    session that has started is refused (``domain.details.reminder_due_at``).
    """
    keys = {(r.recipient_kind.value, r.recipient_id, r.channel.value, r.lead_minutes): r
            for r in wanted}
    covered = set()
    known = set()
    for rid, kind, recipient, channel, lead, state, due in cur.execute(
        "SELECT id, recipient_kind, COALESCE(client_id, third_party_id), channel, lead_minutes,"
        " state, due_at FROM reminders WHERE event_id = ? AND state <> 'cancelled'",
        [event_id],
    ).fetchall():
        key = (kind, int(recipient), channel, int(lead))
        known.add(key)
        due_now = start - timedelta(minutes=int(lead))
        if state == "pending":
            if key in keys and key not in covered:
                if due_now < now < start:
                    due_now = now
                if due != due_now:
                    cur.execute("UPDATE reminders SET due_at = ? WHERE id = ?", [due_now, rid])
                covered.add(key)
            else:
                cur.execute("UPDATE reminders SET state = 'cancelled' WHERE id = ?", [rid])
        elif due_now <= due <= start:  # sent (or settled) for this time, maybe at once
            covered.add(key)
    for key, r in keys.items():
        if key in covered:
            continue
        if key in known and now >= start:
            continue  # sent for an earlier time of a session now past: nothing left to say
        cur.execute(
            "INSERT INTO reminders (id, event_id, recipient_kind, client_id, third_party_id,"
            " channel, lead_minutes, due_at, state, attempts) VALUES (nextval('reminder_id_seq'),"
            " ?, ?, ?, ?, ?, ?, ?, 'pending', 0)",
            [event_id, r.recipient_kind.value,
             r.recipient_id if r.recipient_kind is RecipientKind.CLIENT else None,
             r.recipient_id if r.recipient_kind is RecipientKind.THIRD_PARTY else None,
             r.channel.value, r.lead_minutes, reminder_due_at(start, r.lead_minutes, now)],
        )


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
            row = cur.execute("SELECT nextval('series_id_seq')").fetchone()
            assert row is not None
            series_id = int(row[0])
            cur.execute("INSERT INTO series VALUES (?, ?, ?, ?)",
                        [series_id, first.clinician_id, repeat.interval_weeks, now])
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
        keys = LocalKeys.of(new.start, db.zone)
        cur.execute(
            "UPDATE events SET kind = ?, title = ?, starts_at = ?, ends_at = ?,"
            " duration_minutes = ?, local_start = ?, local_date = ?, week_start = ?,"
            " month_key = ?, weekday = ?, service_id = ?, direct = ?, video_link = ?"
            " WHERE id = ?",
            [new.kind.value, new.title, new.start, new.end,
             int((new.end - new.start).total_seconds() // 60), keys.local_start,
             keys.local_date, keys.week_start, keys.month_key, keys.weekday, new.service_id,
             new.direct, new.video_link, event_id],
        )
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
    ids = [int(r[0]) for r in cur.execute(
        "SELECT id FROM events WHERE series_id = ? AND starts_at >= ? AND cancelled_at IS NULL"
        " ORDER BY starts_at", [rec.series_id, rec.start]).fetchall()]
    return [records.load(cur, i) for i in ids]


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
            keys = LocalKeys.of(s, zone)
            cur.execute(
                "UPDATE events SET starts_at = ?, ends_at = ?, duration_minutes = ?,"
                " local_start = ?, local_date = ?, week_start = ?, month_key = ?, weekday = ?"
                " WHERE id = ?",
                [s, e, int((e - s).total_seconds() // 60), keys.local_start, keys.local_date,
                 keys.week_start, keys.month_key, keys.weekday, target.id],
            )
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
            cur.execute("UPDATE events SET cancelled_at = ? WHERE id = ?", [now, target.id])
            bump_version(cur, target.id, target.version, actor, now, target.completion)
            history.record(cur, target.id, now)
            cur.execute("UPDATE reminders SET state = 'cancelled' WHERE event_id = ?"
                        " AND state = 'pending'", [target.id])
            audit.record(cur, actor, now, "cancel", "event", target.id,
                         {"cancelled_at": None},
                         {"cancelled_at": now, **({"reason": why.code} if why else {})})
        refresh_first_visits(cur, {c for t in targets for c in t.client_ids})
    return [t.id for t in targets]


def week_of(day: date) -> date:
    """Monday of the week containing ``day``."""
    return day - timedelta(days=day.weekday())
