"""iCalendar (RFC 5545) export: a clinician's events and a client's sessions.

Times are written in the practice's zone (``DTSTART;TZID=...``) with a matching ``VTIMEZONE``,
so a calendar application shows a 10:00 session at 10:00 on both sides of a daylight-saving
change. UIDs are stable (the event id and the practice's creation instant), so importing a newer
export updates events instead of duplicating them; ``SEQUENCE`` follows the event's version.
No plan, note or homework text is ever written; a client's feed names no other client.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import icalendar

from thera_analytics.domain.actor import Actor, Role
from thera_analytics.domain.errors import NotFoundError, PermissionDenied, ValidationError
from thera_analytics.store import calendar as stored
from thera_analytics.store import catalog
from thera_analytics.store.database import Database

PRODID = "-//thera-analytics//Practice calendar//EN"
MEDIA_TYPE = "text/calendar"


@dataclass(frozen=True)
class _Practice:
    name: str
    zone: ZoneInfo
    created_at: datetime


def _practice(db: Database) -> _Practice:
    row = catalog.practice_facts(db.cursor())
    if row is None:
        raise NotFoundError("practice", "this database has no practice yet")
    return _Practice(row[0], db.zone, row[1])


def event_uid(event_id: int, practice_created: datetime) -> str:
    """The UID of an event in every export of this practice."""
    return f"event-{event_id}-{int(practice_created.timestamp())}@thera-analytics"


def _window(start: datetime | None, end: datetime | None) -> list[Any]:
    if start is not None and end is not None and end <= start:
        raise ValidationError("end", "the end of the export must be after its start")
    return [start, start, end, end]


def _calendar(practice: _Practice, name: str, rows: list[dict[str, Any]], now: datetime,
              summary_of: Any, description_of: Any) -> bytes:
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", practice.zone.key)
    for r in rows:
        ev = icalendar.Event()
        ev.add("uid", event_uid(int(r["event_id"]), practice.created_at))
        ev.add("dtstamp", now)
        ev.add("dtstart", r["starts_at"].astimezone(practice.zone))
        ev.add("dtend", r["ends_at"].astimezone(practice.zone))
        ev.add("created", r["created_at"])
        ev.add("last-modified", r["updated_at"])
        ev.add("sequence", max(int(r["version"]) - 1, 0))
        ev.add("summary", summary_of(r))
        ev.add("categories", [r["kind_label"]])
        ev.add("status", "CONFIRMED")
        ev.add("transp", "OPAQUE")
        description = description_of(r)
        if description:
            ev.add("description", description)
        if r["video_link"]:
            ev.add("url", r["video_link"])
            ev.add("location", r["video_link"])
        cal.add_component(ev)
    if rows:
        first = min(r["starts_at"] for r in rows).date() - timedelta(days=366)
        last = max(r["ends_at"] for r in rows).date() + timedelta(days=366)
    else:
        first = last = now.date()
    cal.add_missing_timezones(first_date=first, last_date=max(last, first + timedelta(days=1)))
    if not rows:
        # An empty calendar still says which zone it is in.
        cal.add_component(icalendar.Timezone.from_tzinfo(
            practice.zone, first_date=first, last_date=date(first.year + 1, 1, 1)))
    return bytes(cal.to_ical())


def _details(r: dict[str, Any]) -> str:
    lines = []
    if r["service_name"]:
        lines.append(f"Service: {r['service_name']}")
    if r["video_link"]:
        lines.append(f"Join the video session: {r['video_link']}")
    return "\n".join(lines)


def clinician_calendar(db: Database, actor: Actor, clinician_id: int, now: datetime, *,
                       start: datetime | None = None, end: datetime | None = None) -> bytes:
    """A clinician's live events (owned or as a team member) as .ics bytes."""
    if actor.role is Role.CLINICIAN and actor.clinician_id != clinician_id:
        raise PermissionDenied("calendar: a clinician exports their own calendar")
    if actor.role is Role.CLIENT:
        raise PermissionDenied("calendar: a client exports their own sessions only")
    name = catalog.clinician_name(db.cursor(), clinician_id)
    if name is None:
        raise NotFoundError("clinician", f"no clinician {clinician_id}")
    practice = _practice(db)
    rows = stored.clinician_feed(db, clinician_id, _window(start, end))

    def summary(r: dict[str, Any]) -> str:
        if r["client_names"]:
            return f"{r['kind_label']}: {r['client_names']}"
        return f"{r['kind_label']}: {r['title']}" if r["title"] else r["kind_label"]

    def description(r: dict[str, Any]) -> str:
        owner = "" if r["clinician_name"] == name else f"Clinician: {r['clinician_name']}"
        return "\n".join(x for x in (owner, _details(r)) if x)

    return _calendar(practice, f"{name} · {practice.name}", rows, now, summary, description)


def client_calendar(db: Database, actor: Actor, client_id: int, now: datetime, *,
                    start: datetime | None = None, end: datetime | None = None) -> bytes:
    """A client's live sessions (those they attend) as .ics bytes: the client or a manager."""
    if actor.role is Role.CLIENT:
        if actor.client_id != client_id:
            raise PermissionDenied("calendar: a client exports their own sessions only")
    elif actor.role is not Role.MANAGER:
        raise PermissionDenied("calendar: a client's calendar is for the client or a manager")
    if not catalog.client_exists(db.cursor(), client_id):
        raise NotFoundError("client", f"no client {client_id}")
    practice = _practice(db)
    rows = stored.client_feed(db, client_id, _window(start, end))
    return _calendar(
        practice, practice.name, rows, now,
        lambda r: f"{r['kind_label']} with {r['clinician_name']}", _details,
    )
