"""Reading one event's whole record (details, plan, outcome, signature, history)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from thera_analytics.domain.actor import Actor, Role
from thera_analytics.domain.attendance import Attendance, SessionStatus
from thera_analytics.domain.details import Channel, RecipientKind, ReminderRequest
from thera_analytics.domain.dots import Completion, Dots, completion_of, outcome_marked
from thera_analytics.domain.errors import NotFoundError, PermissionDenied
from thera_analytics.domain.kinds import EventKind
from thera_analytics.domain.signing import amendable_until, can_amend
from thera_analytics.domain.steps import Step, next_step
from thera_analytics.store.database import Cursor


@dataclass(frozen=True)
class ClientMark:
    client_id: int
    name: str
    attendance: Attendance | None


@dataclass(frozen=True)
class Amendment:
    field: str
    client_id: int | None
    previous_value: str | None
    new_value: str | None
    amended_by: str
    amended_at: datetime


@dataclass(frozen=True)
class Comment:
    author: str
    created_at: datetime
    body: str


@dataclass(frozen=True)
class EventRecord:
    """Everything the editor shows for one event."""

    id: int
    version: int
    kind: EventKind
    clinician_id: int
    clinician_name: str
    title: str
    start: datetime
    end: datetime
    local_start: datetime
    service_id: int | None
    service_name: str | None
    direct: bool | None
    video_link: str | None
    series_id: int | None
    cancelled_at: datetime | None
    clients: tuple[ClientMark, ...] = ()
    team_member_ids: tuple[int, ...] = ()
    third_party_ids: tuple[int, ...] = ()
    reminders: tuple[ReminderRequest, ...] = ()
    plan_text: str | None = None
    previous_homework: str | None = None
    previous_note: str | None = None
    plan_saved_at: datetime | None = None
    status: SessionStatus | None = None
    note: str = ""
    homework: str = ""
    homework_enabled: bool = False
    homework_shared: bool = False
    signed_at: datetime | None = None
    signed_by: str | None = None
    amendments: tuple[Amendment, ...] = field(default_factory=tuple)
    comments: tuple[Comment, ...] = field(default_factory=tuple)

    @property
    def client_ids(self) -> tuple[int, ...]:
        return tuple(c.client_id for c in self.clients)

    @property
    def is_client_event(self) -> bool:
        return self.kind.is_client_event

    @property
    def outcome_marked(self) -> bool:
        return outcome_marked(bool(self.direct), [c.attendance for c in self.clients], self.status)

    @property
    def dots(self) -> Dots | None:
        if not self.is_client_event:
            return None
        return self.completion.dots

    @property
    def completion(self) -> Completion:
        """The dots and completion instant kept on the event row (none for other events)."""
        if not self.is_client_event:
            return Completion.none()
        return completion_of(
            details_valid=self.service_id is not None and bool(self.clients),
            plan_saved_at=self.plan_saved_at,
            direct=bool(self.direct),
            attendance=[c.attendance for c in self.clients],
            status=self.status,
            signed_at=self.signed_at,
        )

    @property
    def next_step(self) -> Step:
        dots = self.dots
        return Step.DETAILS if dots is None else next_step(dots)

    def amendable(self, now: datetime) -> bool:
        return can_amend(self.signed_at, now)

    def locked(self, now: datetime) -> bool:
        return not can_amend(self.signed_at, now)

    def amendable_until(self) -> datetime | None:
        return None if self.signed_at is None else amendable_until(self.signed_at)


def can_read(actor: Actor, clinician_id: int, team_ids: tuple[int, ...],
             client_ids: tuple[int, ...]) -> bool:
    """Managers read all; clinicians what they own or take part in.

    Clients never read a whole record (it holds the note and the plan, and in a group other
    clients): they see their sessions and shared homework through ``service.portal``.
    """
    if actor.role is Role.MANAGER:
        return True
    if actor.role is Role.CLINICIAN:
        return actor.clinician_id == clinician_id or actor.clinician_id in team_ids
    return False


def load_state(cur: Cursor, event_id: int) -> EventRecord:
    """The part of a record the rules of a plan, outcome or signature need, in two statements:
    the event with its plan and outcome, and its clients' marks. Names (clinician, service,
    clients, signer), team, third parties, reminders, amendments and comments are left out
    (empty); use ``load`` for anything shown or for a change of details."""
    row = cur.execute(
        "SELECT e.id, e.version, e.kind, e.clinician_id, e.title, e.starts_at, e.ends_at,"
        " e.local_start, e.service_id, e.direct, e.video_link, e.series_id, e.cancelled_at,"
        " p.plan_text, p.previous_homework, p.previous_note, p.saved_at, o.status, o.note,"
        " o.homework, o.homework_enabled, o.homework_shared, o.signed_at"
        " FROM events e LEFT JOIN plans p ON p.event_id = e.id"
        " LEFT JOIN outcomes o ON o.event_id = e.id WHERE e.id = ?",
        [event_id],
    ).fetchone()
    if row is None:
        raise NotFoundError("event", f"no event {event_id}")
    clients = tuple(
        ClientMark(int(cid), "", Attendance(att) if att else None)
        for cid, att in cur.execute(
            "SELECT client_id, attendance FROM event_clients WHERE event_id = ?"
            " ORDER BY client_id", [event_id],
        ).fetchall()
    )
    return EventRecord(
        id=int(row[0]), version=int(row[1]), kind=EventKind(row[2]), clinician_id=int(row[3]),
        clinician_name="", title=row[4], start=row[5], end=row[6], local_start=row[7],
        service_id=row[8], service_name=None, direct=row[9], video_link=row[10],
        series_id=row[11], cancelled_at=row[12], clients=clients,
        plan_text=row[13], previous_homework=row[14], previous_note=row[15],
        plan_saved_at=row[16],
        status=SessionStatus(row[17]) if row[17] else None,
        note=row[18] if row[18] is not None else "",
        homework=row[19] if row[19] is not None else "",
        homework_enabled=bool(row[20]), homework_shared=bool(row[21]),
        signed_at=row[22],
    )


def load(cur: Cursor, event_id: int, actor: Actor | None = None) -> EventRecord:
    """The whole record of one event; ``actor`` (if given) must be allowed to read it."""
    row = cur.execute(
        "SELECT e.id, e.version, e.kind, e.clinician_id, c.name, e.title, e.starts_at, e.ends_at,"
        " e.local_start, e.service_id, s.name, e.direct, e.video_link, e.series_id,"
        " e.cancelled_at FROM events e JOIN clinicians c ON c.id = e.clinician_id"
        " LEFT JOIN services s ON s.id = e.service_id WHERE e.id = ?",
        [event_id],
    ).fetchone()
    if row is None:
        raise NotFoundError("event", f"no event {event_id}")
    clients = tuple(
        ClientMark(int(cid), name, Attendance(att) if att else None)
        for cid, name, att in cur.execute(
            "SELECT ec.client_id, c.name, ec.attendance FROM event_clients ec"
            " JOIN clients c ON c.id = ec.client_id WHERE ec.event_id = ? ORDER BY c.name, c.id",
            [event_id],
        ).fetchall()
    )
    team = tuple(
        int(r[0]) for r in cur.execute(
            "SELECT clinician_id FROM event_team_members WHERE event_id = ? ORDER BY 1",
            [event_id],
        ).fetchall()
    )
    if actor is not None and not can_read(actor, int(row[3]), team,
                                          tuple(c.client_id for c in clients)):
        raise PermissionDenied(f"event: you cannot open event {event_id}")
    third = tuple(
        int(r[0]) for r in cur.execute(
            "SELECT third_party_id FROM event_third_parties WHERE event_id = ? ORDER BY 1",
            [event_id],
        ).fetchall()
    )
    reminders = tuple(dict.fromkeys(  # one per recipient/channel/lead, sent or pending
        ReminderRequest(
            RecipientKind(kind), int(client_id if kind == "client" else tp_id),
            Channel(channel), int(lead),
        )
        for kind, client_id, tp_id, channel, lead in cur.execute(
            "SELECT recipient_kind, client_id, third_party_id, channel, lead_minutes"
            " FROM reminders WHERE event_id = ? AND state <> 'cancelled' ORDER BY id",
            [event_id],
        ).fetchall()
    ))
    plan = cur.execute(
        "SELECT plan_text, previous_homework, previous_note, saved_at FROM plans"
        " WHERE event_id = ?", [event_id],
    ).fetchone()
    outcome = cur.execute(
        "SELECT o.status, o.note, o.homework, o.homework_enabled, o.homework_shared,"
        " o.signed_at, u.display_name FROM outcomes o LEFT JOIN users u ON u.id = o.signed_by"
        " WHERE o.event_id = ?", [event_id],
    ).fetchone()
    amendments = tuple(
        Amendment(f, cid, prev, new, who or "unknown", at)
        for f, cid, prev, new, who, at in cur.execute(
            "SELECT a.field, a.client_id, a.previous_value, a.new_value, u.display_name,"
            " a.amended_at FROM amendments a LEFT JOIN users u ON u.id = a.amended_by"
            " WHERE a.event_id = ? ORDER BY a.amended_at, a.id", [event_id],
        ).fetchall()
    )
    comments = tuple(
        Comment(who or "unknown", at, body)
        for who, at, body in cur.execute(
            "SELECT u.display_name, c.created_at, c.body FROM comments c"
            " LEFT JOIN users u ON u.id = c.author_id WHERE c.event_id = ?"
            " ORDER BY c.created_at, c.id", [event_id],
        ).fetchall()
    )
    return EventRecord(
        id=int(row[0]), version=int(row[1]), kind=EventKind(row[2]), clinician_id=int(row[3]),
        clinician_name=row[4], title=row[5], start=row[6], end=row[7], local_start=row[8],
        service_id=row[9], service_name=row[10], direct=row[11], video_link=row[12],
        series_id=row[13], cancelled_at=row[14], clients=clients, team_member_ids=team,
        third_party_ids=third, reminders=reminders,
        plan_text=plan[0] if plan else None,
        previous_homework=plan[1] if plan else None,
        previous_note=plan[2] if plan else None,
        plan_saved_at=plan[3] if plan else None,
        status=SessionStatus(outcome[0]) if outcome and outcome[0] else None,
        note=outcome[1] if outcome else "",
        homework=outcome[2] if outcome else "",
        homework_enabled=bool(outcome[3]) if outcome else False,
        homework_shared=bool(outcome[4]) if outcome else False,
        signed_at=outcome[5] if outcome else None,
        signed_by=outcome[6] if outcome else None,
        amendments=amendments,
        comments=comments,
    )
