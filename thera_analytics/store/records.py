"""Reading one event's record: the event, its clients' marks, team, third parties, reminders,
plan, outcome, amendments and comments (SQL in ``queries/record_*.sql``)."""

from __future__ import annotations

from datetime import datetime

from thera_analytics.domain.attendance import Attendance, SessionStatus
from thera_analytics.domain.details import Channel, RecipientKind, ReminderRequest
from thera_analytics.domain.errors import NotFoundError
from thera_analytics.domain.kinds import EventKind
from thera_analytics.domain.record import Amendment, ClientMark, Comment, EventRecord
from thera_analytics.store.database import Cursor
from thera_analytics.store.sql import query


def load_state(cur: Cursor, event_id: int) -> EventRecord:
    """The part of a record the rules of a plan, outcome or signature need, in two statements:
    the event with its plan and outcome, and its clients' marks. Names (clinician, service,
    clients, signer), team, third parties, reminders, amendments and comments are left out
    (empty); use ``load`` for anything shown or for a change of details."""
    row = cur.execute(query("record_state"), [event_id]).fetchone()
    if row is None:
        raise NotFoundError("event", f"no event {event_id}")
    clients = tuple(
        ClientMark(int(cid), "", Attendance(att) if att else None)
        for cid, att in cur.execute(query("record_state_marks"), [event_id]).fetchall()
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
        signed_at=row[22], signer_id=row[23],
    )


def load(cur: Cursor, event_id: int) -> EventRecord:
    """The whole record of one event (who may read it is the caller's rule)."""
    row = cur.execute(query("record_event"), [event_id]).fetchone()
    if row is None:
        raise NotFoundError("event", f"no event {event_id}")
    clients = tuple(
        ClientMark(int(cid), name, Attendance(att) if att else None)
        for cid, name, att in cur.execute(query("record_clients"), [event_id]).fetchall()
    )
    team = tuple(int(r[0]) for r in cur.execute(query("record_team"), [event_id]).fetchall())
    third = tuple(
        int(r[0]) for r in cur.execute(query("record_third_parties"), [event_id]).fetchall())
    reminders = tuple(dict.fromkeys(  # one per recipient/channel/lead, sent or pending
        ReminderRequest(
            RecipientKind(kind), int(client_id if kind == "client" else tp_id),
            Channel(channel), int(lead),
        )
        for kind, client_id, tp_id, channel, lead in cur.execute(
            query("record_reminders"), [event_id]).fetchall()
    ))
    plan = cur.execute(query("record_plan"), [event_id]).fetchone()
    outcome = cur.execute(query("record_outcome"), [event_id]).fetchone()
    amendments = tuple(
        Amendment(f, cid, prev, new, who or "unknown", at)
        for f, cid, prev, new, who, at in cur.execute(
            query("record_amendments"), [event_id]).fetchall()
    )
    comments = tuple(
        Comment(who or "unknown", at, body)
        for who, at, body in cur.execute(query("record_comments"), [event_id]).fetchall()
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


def mark_attendance(cur: Cursor, event_id: int, client_id: int,
                    mark: Attendance | None) -> None:
    cur.execute(query("record_mark_attendance"),
                [mark.value if mark else None, event_id, client_id])


def save_outcome(cur: Cursor, event_id: int, status: SessionStatus | None, note: str,
                 homework: str, homework_enabled: bool, homework_shared: bool,
                 now: datetime, user_id: int | None) -> None:
    """Write step 3 whole; the signature stays as it is."""
    cur.execute(query("record_save_outcome"),
                [event_id, status.value if status else None, note, homework, homework_enabled,
                 homework_shared, now, user_id])


def sign(cur: Cursor, event_id: int, now: datetime, user_id: int | None) -> None:
    cur.execute(query("record_sign"), [event_id, now, user_id, now, user_id])


def save_plan(cur: Cursor, event_id: int, plan_text: str, previous_homework: str,
              previous_note: str, now: datetime, user_id: int | None) -> None:
    cur.execute(query("record_save_plan"),
                [event_id, plan_text, previous_homework, previous_note, now, user_id])


def add_amendment(cur: Cursor, event_id: int, field_name: str, client_id: int | None,
                  previous: str | None, new: str | None, now: datetime,
                  user_id: int | None) -> None:
    cur.execute(query("record_amend"),
                [event_id, field_name, client_id, previous, new, user_id, now])


def add_comment(cur: Cursor, event_id: int, body: str, now: datetime,
                user_id: int | None) -> int:
    """Store a comment; returns its id."""
    row = cur.execute(query("record_next_comment_id")).fetchone()
    assert row is not None
    comment_id = int(row[0])
    cur.execute(query("record_add_comment"), [comment_id, event_id, user_id, now, body])
    return comment_id


def plan_prefill(cur: Cursor, clinician_id: int, start: datetime, event_id: int,
                 clients: list[int]) -> tuple[int, str | None, str | None] | None:
    """The clinician's latest earlier session with exactly ``clients`` (sorted): its id,
    homework and note."""
    row = cur.execute(
        query("plan_prefill"),
        [clinician_id, start, event_id, clients[0], len(clients), clients, len(clients)],
    ).fetchone()
    return None if row is None else (int(row[0]), row[1], row[2])
