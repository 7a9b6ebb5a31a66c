"""The client portal at ``/portal``: upcoming sessions, reminders and homework shared with me.

Everything shown comes from ``thera_analytics.service.portal``, which reads only the signed-in
client's rows; every piece of text from the database is escaped before it reaches the page.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import datetime
from html import escape

import panel as pn
import param

from dashboards.shell import AppShell
from thera_analytics.clock import Clock, system_clock
from thera_analytics.domain.actor import Actor
from thera_analytics.domain.palette import EDGE, FILL, TEXT, ColourFamily
from thera_analytics.service import ical, portal
from thera_analytics.service.portal import PortalNotification, SharedHomework, UpcomingSession
from thera_analytics.store.database import Database

REFRESH_MS = 60_000
TITLE = "My sessions"

PORTAL_CSS = """
:host { width: 100%; }
.portal { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif;
          color: #1f2328; }
.portal h2 { font-size: 1.15rem; margin: 0 0 12px 0; display: flex; align-items: center;
             gap: 8px; }
.portal .count { background: #1d4f86; color: #fff; border-radius: 10px; font-size: 0.8rem;
                 padding: 1px 8px; font-weight: 600; }
.portal .card { background: #ffffff; border: 1px solid #d0d7de; border-radius: 10px;
                padding: 16px 18px; box-sizing: border-box; }
.portal ul { list-style: none; margin: 0; padding: 0; }
.portal li + li { border-top: 1px solid #eaeef2; }
.portal .empty { color: #57606a; margin: 4px 0; }
.portal-session { display: flex; gap: 16px; padding: 12px 0; align-items: center; }
.portal-date { width: 56px; flex: none; text-align: center; border-radius: 8px;
               background: #f0f5fb; border: 1px solid #c9d8ea; padding: 6px 0; }
.portal-date .dow { display: block; font-size: 0.75rem; text-transform: uppercase;
                    color: #57606a; letter-spacing: 0.04em; }
.portal-date .day { display: block; font-size: 1.5rem; font-weight: 700; line-height: 1.1; }
.portal-date .mon { display: block; font-size: 0.8rem; color: #57606a; }
.portal-info { flex: 1; min-width: 0; }
.portal-when { font-weight: 600; font-size: 1.02rem; }
.portal-what { margin-top: 3px; color: #3e4c59; }
.portal-kind { display: inline-block; border-radius: 6px; padding: 0 8px; font-size: 0.85rem;
               border: 1px solid; margin-right: 4px; }
.portal-join { flex: none; background: #b3136b; color: #fff; text-decoration: none;
               border-radius: 6px; padding: 8px 14px; font-weight: 600; }
.portal-join:hover, .portal-join:focus { background: #8e0f55; }
.portal-notification { padding: 10px 0; display: flex; gap: 10px; }
.portal-notification .dot { width: 9px; height: 9px; border-radius: 50%; margin-top: 6px;
                            flex: none; background: transparent; }
.portal-notification.unread .dot { background: #0a5cb8; }
.portal-notification .title { font-weight: 600; }
.portal-notification .new { color: #0a5cb8; font-size: 0.8rem; font-weight: 700;
                            margin-left: 6px; }
.portal-notification .body { white-space: pre-line; color: #3e4c59; margin-top: 2px;
                             overflow-wrap: anywhere; }
.portal-notification .meta, .portal-homework .meta { color: #57606a; font-size: 0.85rem;
                                                     margin-top: 2px; }
.portal-homework { padding: 12px 0; }
.portal-homework .text { white-space: pre-wrap; margin-top: 6px; background: #f6f8fa;
                         border-left: 3px solid #1a7f37; padding: 8px 12px; border-radius: 4px;
                         overflow-wrap: anywhere; }
.portal-intro h1 { font-size: 1.5rem; margin: 4px 0 4px 0; }
.portal-intro p { margin: 0; color: #57606a; }
"""


# FileDownload draws a "default" button until its file is fetched: style it as the page's main
# action whatever its state (scoped to this widget's shadow root).
DOWNLOAD_CSS = """
button.bk-btn { background: #1d4f86 !important; border: 1px solid #1d4f86 !important;
  color: #ffffff !important; font-weight: 600; border-radius: 6px; }
button.bk-btn a { color: #ffffff !important; text-decoration: none; }
button.bk-btn:hover, button.bk-btn:focus { background: #163d68 !important; }
"""
MARK_READ_CSS = """
button.bk-btn { background: #ffffff !important; border: 1px solid #afb8c1 !important;
  color: #1f2328 !important; border-radius: 6px; }
button.bk-btn:hover, button.bk-btn:focus { background: #f3f4f6 !important; }
"""


@dataclass(frozen=True)
class PortalData:
    """What the page shows, read at one moment."""

    upcoming: tuple[UpcomingSession, ...] = ()
    notifications: tuple[PortalNotification, ...] = ()
    homework: tuple[SharedHomework, ...] = ()
    read_at: datetime | None = field(default=None)


def _day(value: datetime) -> str:
    return f"{value:%a} {value.day} {value:%b %Y}"


def _html(body: str, bottom: int = 14) -> pn.pane.HTML:
    return pn.pane.HTML(f'<div class="portal">{body}</div>', stylesheets=[PORTAL_CSS],
                        sizing_mode="stretch_width", margin=(0, 0, bottom, 0))


def sessions_html(sessions: tuple[UpcomingSession, ...]) -> str:
    """The upcoming-sessions card (escaped)."""
    if not sessions:
        items = '<p class="empty">You have no upcoming sessions booked.</p>'
    else:
        rows = []
        for s in sessions:
            family = ColourFamily(s.colour_family)
            kind = (f'<span class="portal-kind" style="background:{FILL[family]};'
                    f'border-color:{EDGE[family]};color:{TEXT}">{escape(s.kind_label)}</span>')
            join = ""
            if s.video_link and s.video_link.startswith("https://"):
                join = (f'<a class="portal-join" href="{escape(s.video_link, quote=True)}"'
                        ' target="_blank" rel="noopener noreferrer">Join video session</a>')
            service = f" · {escape(s.service_name)}" if s.service_name else ""
            rows.append(
                f'<li class="portal-session" data-event="{s.event_id}">'
                f'<div class="portal-date"><span class="dow">{s.start:%a}</span>'
                f'<span class="day">{s.start.day}</span><span class="mon">{s.start:%b}</span>'
                "</div>"
                f'<div class="portal-info"><div class="portal-when">{_day(s.start)}, '
                f"{s.start:%H:%M}–{s.end:%H:%M} {escape(s.start.tzname() or '')}</div>"
                f'<div class="portal-what">{kind} with {escape(s.clinician_name)}{service}'
                "</div></div>"
                f"{join}</li>"
            )
        items = f'<ul>{"".join(rows)}</ul>'
    return (f'<section class="card portal-sessions"><h2>Upcoming sessions '
            f'<span class="count">{len(sessions)}</span></h2>{items}</section>')


def notifications_html(notes: tuple[PortalNotification, ...]) -> str:
    """The reminders card (escaped)."""
    unread = sum(n.unread for n in notes)
    badge = f'<span class="count">{unread} new</span>' if unread else ""
    if not notes:
        items = '<p class="empty">No reminders yet.</p>'
    else:
        rows = []
        for n in notes:
            state = " unread" if n.unread else ""
            new = '<span class="new">New</span>' if n.unread else ""
            rows.append(
                f'<li class="portal-notification{state}"><span class="dot"></span><div>'
                f'<div class="title">{escape(n.title)}{new}</div>'
                f'<div class="body">{escape(n.body)}</div>'
                f'<div class="meta">Sent {_day(n.created_at)}, {n.created_at:%H:%M}</div>'
                "</div></li>"
            )
        items = f'<ul>{"".join(rows)}</ul>'
    return f'<section class="card portal-reminders"><h2>Reminders {badge}</h2>{items}</section>'


def homework_html(items: tuple[SharedHomework, ...]) -> str:
    """The shared-homework card, newest first (escaped)."""
    if not items:
        body = '<p class="empty">Nothing has been shared with you yet.</p>'
    else:
        rows = [
            f'<li class="portal-homework" data-event="{h.event_id}">'
            f'<div class="meta">From your {escape(h.kind_label.lower())} with '
            f"{escape(h.clinician_name)} on {_day(h.session_start)}</div>"
            f'<div class="text">{escape(h.homework)}</div></li>'
            for h in items
        ]
        body = f'<ul>{"".join(rows)}</ul>'
    return f'<section class="card portal-homework-list"><h2>Homework</h2>{body}</section>'


class PortalApp(pn.viewable.Viewer):
    """A client's own page: sessions, reminders, homework and a calendar download."""

    db = param.ClassSelector(class_=Database, allow_None=False)
    actor = param.ClassSelector(class_=Actor, allow_None=False)
    clock = param.Callable(default=system_clock)
    data = param.ClassSelector(class_=PortalData, default=PortalData(),
                               doc="What the page shows: the single source of truth.")

    def __init__(self, **params: object) -> None:
        super().__init__(**params)
        portal.client_of(self.actor)  # refuses anyone who is not a client
        self.download = pn.widgets.FileDownload(
            callback=self._calendar_file, filename="my-sessions.ics",
            label="Download calendar (.ics)", color="primary", width=230,
            margin=(8, 0), stylesheets=[DOWNLOAD_CSS])
        self.mark_read = pn.widgets.Button(label="Mark reminders as read", color="light",
                                           width=210, margin=(0, 0, 14, 0),
                                           stylesheets=[MARK_READ_CSS])
        self.mark_read.on_click(self._on_mark_read)
        self.refresh()
        doc = pn.state.curdoc
        if doc is not None and doc.session_context is not None:  # a served session, not a test
            pn.state.add_periodic_callback(self.refresh, period=REFRESH_MS)

    def refresh(self) -> None:
        """Read the client's sessions, reminders and homework again."""
        now = self.clock()
        self.data = PortalData(
            upcoming=tuple(portal.upcoming_sessions(self.db, self.actor, now)),
            notifications=tuple(portal.notifications(self.db, self.actor)),
            homework=tuple(portal.shared_homework(self.db, self.actor)),
            read_at=now,
        )

    def _calendar_file(self) -> io.BytesIO:
        assert self.actor.client_id is not None
        data = ical.client_calendar(self.db, self.actor, self.actor.client_id, self.clock(),
                                    start=self.clock())
        return io.BytesIO(data)

    def _on_mark_read(self, _: object) -> None:
        portal.mark_read(self.db, self.actor, self.clock())
        self.refresh()

    @param.depends("data")
    def _sessions(self) -> pn.pane.HTML:
        return _html(sessions_html(self.data.upcoming))

    @param.depends("data")
    def _reminders(self) -> pn.pane.HTML:
        return _html(notifications_html(self.data.notifications))

    @param.depends("data")
    def _homework(self) -> pn.pane.HTML:
        return _html(homework_html(self.data.homework))

    @param.depends("data", watch=True, on_init=True)
    def _toggle_mark_read(self) -> None:
        if hasattr(self, "mark_read"):
            self.mark_read.visible = any(n.unread for n in self.data.notifications)

    def __panel__(self) -> pn.viewable.Viewable:
        first_name = (self.actor.display_name.split() or ["there"])[0]
        intro = _html(
            f'<div class="portal-intro"><h1>Hello, {escape(first_name)}</h1>'
            "<p>Your upcoming sessions, reminders and the homework your clinician has shared "
            "with you.</p></div>", bottom=4)
        top = pn.Row(intro, self.download,
                     sizing_mode="stretch_width", margin=(0, 0, 8, 0))
        left = pn.Column(pn.panel(self._sessions), pn.panel(self._reminders), self.mark_read,
                         sizing_mode="stretch_width", margin=(0, 10, 0, 0))
        right = pn.Column(pn.panel(self._homework), sizing_mode="stretch_width", margin=0)
        body = pn.Column(top, pn.Row(left, right, sizing_mode="stretch_width", margin=0),
                         sizing_mode="stretch_width", max_width=1180, margin=0,
                         css_classes=["portal-page"])
        return AppShell(body, actor=self.actor, title=TITLE)


def create_app(db: Database, actor: Actor, clock: Clock) -> PortalApp:
    """The ``/portal`` app for the signed-in client."""
    return PortalApp(db=db, actor=actor, clock=clock)
