"""What a client sees in the portal: their upcoming sessions, reminders and shared homework.

Every function takes the signed-in actor and reads only that client's rows. Nothing here selects
a note, a plan, another client's name or unshared homework, so the portal cannot show them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from thera_analytics.domain.actor import Actor, Role
from thera_analytics.domain.errors import NotFoundError, PermissionDenied
from thera_analytics.domain.kinds import EventKind
from thera_analytics.service import audit
from thera_analytics.store import notifications as inbox
from thera_analytics.store import portal as stored
from thera_analytics.store.database import Database

MAX_UPCOMING = 50
MAX_NOTIFICATIONS = 50


@dataclass(frozen=True)
class UpcomingSession:
    """A session the client will attend; times are local to the practice."""

    event_id: int
    kind: EventKind
    kind_label: str
    colour_family: str
    start: datetime
    end: datetime
    clinician_name: str
    service_name: str | None
    video_link: str | None


@dataclass(frozen=True)
class SharedHomework:
    """Homework a clinician enabled and shared with the client, from one session."""

    event_id: int
    session_start: datetime
    kind_label: str
    clinician_name: str
    homework: str


@dataclass(frozen=True)
class PortalNotification:
    """A browser reminder delivered to the client's portal."""

    id: int
    event_id: int
    created_at: datetime
    title: str
    body: str
    read_at: datetime | None

    @property
    def unread(self) -> bool:
        return self.read_at is None


def client_of(actor: Actor) -> int:
    """The client id the actor may read, refusing anyone who is not a client."""
    if actor.role is not Role.CLIENT or actor.client_id is None:
        raise PermissionDenied("portal: only a client signs in to the portal")
    return actor.client_id


def _local(value: datetime, zone: ZoneInfo) -> datetime:
    return value.astimezone(zone)


def upcoming_sessions(db: Database, actor: Actor, now: datetime,
                      limit: int = MAX_UPCOMING) -> list[UpcomingSession]:
    """The client's sessions that have not ended, soonest first (cancelled ones left out)."""
    client_id = client_of(actor)
    zone = db.zone
    return [
        UpcomingSession(
            event_id=int(r["event_id"]),
            kind=EventKind(r["kind"]),
            kind_label=str(r["kind_label"]),
            colour_family=str(r["colour_family"]),
            start=_local(r["starts_at"], zone),
            end=_local(r["ends_at"], zone),
            clinician_name=str(r["clinician_name"]),
            service_name=r["service_name"],
            video_link=r["video_link"],
        )
        for r in stored.upcoming_sessions(db, client_id, now, limit)
    ]


def shared_homework(db: Database, actor: Actor) -> list[SharedHomework]:
    """Homework enabled and shared on the client's sessions, newest session first."""
    client_id = client_of(actor)
    zone = db.zone
    return [
        SharedHomework(
            event_id=int(r["event_id"]),
            session_start=_local(r["starts_at"], zone),
            kind_label=str(r["kind_label"]),
            clinician_name=str(r["clinician_name"]),
            homework=str(r["homework"]),
        )
        for r in stored.shared_homework(db, client_id)
    ]


def notifications(db: Database, actor: Actor,
                  limit: int = MAX_NOTIFICATIONS) -> list[PortalNotification]:
    """The client's browser reminders, newest first."""
    client_id = client_of(actor)
    zone = db.zone
    return [
        PortalNotification(
            id=int(r["id"]),
            event_id=int(r["event_id"]),
            created_at=_local(r["created_at"], zone),
            title=str(r["title"]),
            body=str(r["body"]),
            read_at=_local(r["read_at"], zone) if r["read_at"] is not None else None,
        )
        for r in stored.notifications(db, client_id, limit)
    ]


def mark_read(db: Database, actor: Actor, now: datetime,
              notification_ids: list[int] | None = None) -> int:
    """Mark the client's notifications read (all unread ones when no ids are given)."""
    client_id = client_of(actor)
    with db.transaction() as cur:
        unread = inbox.unread_ids(cur, client_id)
        if notification_ids is not None:
            wanted = [int(i) for i in notification_ids]
            foreign = sorted(set(wanted) - set(unread) - inbox.read_ids(cur, client_id))
            if foreign:
                raise NotFoundError("notification", f"no notification {foreign} for you")
            unread = [i for i in unread if i in wanted]
        for notification_id in unread:
            inbox.mark_read(cur, notification_id, now)
        if unread:
            audit.record(cur, actor, now, "read_notifications", "client", client_id, None,
                         {"notification_ids": unread})
    return len(unread)
