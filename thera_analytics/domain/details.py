"""Step 1, Details: what an event is, who it is with, and its reminders. Validation only."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from thera_analytics.domain.errors import ValidationError
from thera_analytics.domain.kinds import EventKind

MAX_TITLE = 200
MAX_TEXT = 20_000
MAX_NAME = 200
MAX_DURATION = timedelta(hours=24)
MAX_LEAD_MINUTES = 14 * 24 * 60
_EMAIL = re.compile(r"^[^@\s<>\"']+@[^@\s<>\"']+\.[^@\s<>\"']+$")
_LINK = re.compile(r"^https://[^\s<>\"']+$")


class Channel(StrEnum):
    EMAIL = "email"
    BROWSER = "browser"


class RecipientKind(StrEnum):
    CLIENT = "client"
    THIRD_PARTY = "third_party"


@dataclass(frozen=True)
class ReminderRequest:
    """Remind one recipient (a client or a third party of the event) some minutes before."""

    recipient_kind: RecipientKind
    recipient_id: int
    channel: Channel
    lead_minutes: int

    def __post_init__(self) -> None:
        # Accept plain strings from forms and the CLI; refuse unknown values by field.
        for name, enum in (("recipient_kind", RecipientKind), ("channel", Channel)):
            value = getattr(self, name)
            try:
                object.__setattr__(self, name, enum(value))
            except ValueError:
                raise ValidationError("reminders", f"unknown {name} {value!r}") from None
        try:
            object.__setattr__(self, "lead_minutes", int(self.lead_minutes))
            object.__setattr__(self, "recipient_id", int(self.recipient_id))
        except (TypeError, ValueError):
            raise ValidationError("reminders", "lead time and recipient are numbers") from None


@dataclass(frozen=True)
class EventDetails:
    """Everything step 1 saves. ``start`` and ``end`` are UTC instants."""

    kind: EventKind
    clinician_id: int
    start: datetime
    end: datetime
    title: str = ""
    service_id: int | None = None
    client_ids: tuple[int, ...] = ()
    direct: bool | None = None
    team_member_ids: tuple[int, ...] = ()
    third_party_ids: tuple[int, ...] = ()
    reminders: tuple[ReminderRequest, ...] = field(default_factory=tuple)
    video_link: str | None = None


def clean_text(value: str | None, field_name: str, limit: int = MAX_TEXT) -> str:
    """Text as stored: stripped of NULs, refused past ``limit`` characters."""
    text = "" if value is None else str(value)
    if "\x00" in text:
        raise ValidationError(field_name, "contains a NUL character")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise ValidationError(field_name, "contains characters that are not valid Unicode") \
            from None
    if len(text) > limit:
        raise ValidationError(
            field_name, f"is {len(text):,} characters long; the limit is {limit:,}"
        )
    return text


def check_email(value: str, field_name: str = "email") -> str:
    value = value.strip()
    if not _EMAIL.match(value) or len(value) > MAX_NAME:
        raise ValidationError(field_name, f"{value!r} is not an email address")
    return value


def validate_details(d: EventDetails) -> EventDetails:
    """Check one event's details; return them normalised (sorted, de-duplicated ids)."""
    if d.start.tzinfo is None or d.end.tzinfo is None:
        raise ValidationError("start", "start and end must be instants (time-zone aware)")
    if d.end <= d.start:
        raise ValidationError("end", "the end must be after the start")
    if d.end - d.start > MAX_DURATION:
        raise ValidationError("end", "an event lasts at most 24 hours")
    clean_text(d.title, "title", MAX_TITLE)
    clients = tuple(dict.fromkeys(d.client_ids))
    if d.kind.is_client_event:
        if d.service_id is None:
            raise ValidationError("service", "a client event needs a service")
        if not clients:
            raise ValidationError("clients", "a client event needs at least one client")
        if d.direct is None:
            raise ValidationError("direct", "say whether the session is direct or indirect")
        # Any client kind may have several clients, direct or not: a couples or family video
        # session stays a (pink) video session and records attendance per client.
    else:
        if clients:
            raise ValidationError("clients", f"a {d.kind.label} event has no clients")
        if d.service_id is not None:
            raise ValidationError("service", f"a {d.kind.label} event has no service")
        if d.reminders:
            raise ValidationError("reminders", "only client events send reminders")
    if d.video_link:
        if d.kind is not EventKind.VIDEO_SESSION:
            raise ValidationError("video_link", "only a video session carries a join link")
        if not _LINK.match(d.video_link):
            raise ValidationError("video_link", "a join link is an https:// address")
    third = tuple(dict.fromkeys(d.third_party_ids))
    for r in d.reminders:
        if not 0 <= r.lead_minutes <= MAX_LEAD_MINUTES:
            raise ValidationError(
                "reminders", f"a reminder is sent 0 to {MAX_LEAD_MINUTES} minutes before"
            )
        if r.recipient_kind is RecipientKind.CLIENT and r.recipient_id not in clients:
            raise ValidationError("reminders", "a client reminder goes to a client of the event")
        if r.recipient_kind is RecipientKind.THIRD_PARTY and r.recipient_id not in third:
            raise ValidationError(
                "reminders", "a third-party reminder goes to a third party of the event"
            )
        if r.recipient_kind is RecipientKind.THIRD_PARTY and r.channel is Channel.BROWSER:
            # Nobody could read it: third parties have no portal login.
            raise ValidationError(
                "reminders", "third parties have no portal: remind them by email"
            )
    team = tuple(t for t in dict.fromkeys(d.team_member_ids) if t != d.clinician_id)
    return EventDetails(
        kind=d.kind,
        clinician_id=d.clinician_id,
        start=d.start,
        end=d.end,
        title=d.title.strip(),
        service_id=d.service_id,
        client_ids=clients,
        direct=d.direct if d.kind.is_client_event else None,
        team_member_ids=team,
        third_party_ids=third,
        reminders=tuple(dict.fromkeys(d.reminders)),
        video_link=d.video_link or None,
    )


def reminder_due_at(start: datetime, lead_minutes: int, now: datetime) -> datetime:
    """When a reminder asked for at ``now`` is due: ``lead_minutes`` before ``start``, or at
    once if that time has passed while the session is still ahead. Refused (naming the field)
    once the session has started: a reminder then reaches nobody in time."""
    due = start - timedelta(minutes=lead_minutes)
    if due >= now:
        return due
    if now < start:
        return now
    raise ValidationError(
        "reminders", "the session has already started, so a new reminder for it can no longer "
        "be sent; remove it"
    )
