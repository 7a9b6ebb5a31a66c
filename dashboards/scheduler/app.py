"""The clinician's scheduler: the week calendar beside the event editor, at ``/scheduler``."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import panel as pn
import param

from dashboards.scheduler.blocks import FRAME_WIDTH
from dashboards.scheduler.calendar import NewEvent, OpenEvent, WeekCalendar
from dashboards.scheduler.calendar_download import CalendarDownload
from dashboards.scheduler.editor import EventEditor
from dashboards.scheduler.layout_batching import LayoutBatching
from dashboards.session_query import in_session, query_date, query_int
from dashboards.shell import AppShell
from thera_analytics.clock import Clock, system_clock
from thera_analytics.domain.actor import Actor
from thera_analytics.domain.local_time import to_local, week_start
from thera_analytics.practice import Practice
from thera_analytics.store.database import Database

DAY_STARTS, DAY_ENDS = 9, 18  # hours for a booking made without picking a slot
EDITOR_WIDTH = 420
EDITOR_MAX_WIDTH = 620
CALENDAR_WIDTH = FRAME_WIDTH + 90  # the plot's frame, its hour axis and margins

APP_CSS = """
:host { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; }
"""


class SchedulerApp(pn.viewable.Viewer):
    """Week calendar (left) and editor (right); clicking the one drives the other."""

    practice = param.ClassSelector(class_=Practice)
    actor = param.ClassSelector(class_=Actor)
    batch_layout = param.Boolean(default=True, doc=(
        "Merge the browser's layout passes per server message (see layout_batching)."))

    def __init__(self, *, week: date | None = None, event_id: int | None = None,
                 **params: object) -> None:
        super().__init__(**params)
        self.calendar = WeekCalendar(practice=self.practice, actor=self.actor, week=week)
        self.editor = EventEditor(practice=self.practice, actor=self.actor)
        self.download = CalendarDownload(practice=self.practice, actor=self.actor)
        self.calendar.param.watch(self._on_request, "request")
        self.editor.param.watch(self._on_saved, "saved")
        self.editor.param.watch(self._on_record, "record")
        self.editor.param.watch(
            lambda _: self.calendar.param.update(selected=None, draft=None), "closed")
        self.editor.param.watch(lambda _: self._book(self.suggested_start()), "book_requested")
        if event_id is not None:
            self.open_event(event_id)

    def open_event(self, event_id: int) -> None:
        """Open an event (e.g. from a link) and show its week."""
        if self.editor.open(event_id):
            rec = self.editor.record
            assert rec is not None
            local = to_local(rec.start, self.practice.db.zone)
            if rec.clinician_id != self.calendar.clinician_id and self.actor.is_manager:
                self.calendar.clinician_id = rec.clinician_id
            self.calendar.week = week_start(local.date())

    def suggested_start(self) -> datetime:
        """Where "Book an event" starts: the next quarter hour today if this week is shown
        (within working hours), else Monday 09:00 of the week shown."""
        now = to_local(self.practice.now(), self.practice.db.zone)
        monday = self.calendar.week
        if week_start(now.date()) == monday:
            start = now.replace(second=0, microsecond=0) + timedelta(minutes=15 - now.minute % 15)
            if DAY_STARTS <= start.hour < DAY_ENDS:
                return start
            day = now.date() + timedelta(days=1 if start.hour >= DAY_ENDS else 0)
            return datetime.combine(day, time(DAY_STARTS))
        return datetime.combine(monday, time(DAY_STARTS))

    def _on_request(self, event: param.parameterized.Event) -> None:
        request = event.new
        if isinstance(request, OpenEvent):
            self.editor.open(request.event_id)
        elif isinstance(request, NewEvent):
            self._book(request.start)

    def _book(self, start: datetime) -> None:
        """A new event form at ``start``, its slot outlined on the calendar."""
        self.calendar.selected = None
        self.editor.new(start)
        if self.editor.is_open and self.editor.record is None:
            self.calendar.draft = self.editor.details.times()

    def _on_record(self, event: param.parameterized.Event) -> None:
        rec = event.new
        self.calendar.param.update(selected=None if rec is None else rec.id, draft=None)
        if in_session() and pn.state.location is not None:
            # The address names the open event, so it can be bookmarked or shared.
            pn.state.location.update_query(event=rec.id if rec is not None else "")

    def _on_saved(self, _: object) -> None:
        rec = self.editor.record
        if rec is not None:
            monday = week_start(to_local(rec.start, self.practice.db.zone).date())
            if monday != self.calendar.week:
                self.calendar.week = monday  # loads that week
                return
        self.calendar.refresh()

    def __panel__(self) -> pn.viewable.Viewable:
        calendar = pn.Column(self.calendar, width=CALENDAR_WIDTH, margin=0)
        editor = pn.Column(self.download, self.editor, sizing_mode="stretch_width",
                           min_width=EDITOR_WIDTH, max_width=EDITOR_MAX_WIDTH, margin=(10, 10),
                           styles={"border-left": "1px solid #d0d7de", "padding-left": "12px"},
                           css_classes=["thera-editor-panel"])
        body = pn.Row(calendar, editor, sizing_mode="stretch_width", margin=0,
                      stylesheets=[APP_CSS])
        extras = [LayoutBatching()] if self.batch_layout else []
        return AppShell(body, *extras, actor=self.actor, title="Scheduler")


def create_app(db: Database, actor: Actor, clock: Clock = system_clock) -> SchedulerApp:
    """Route factory: the scheduler for the signed-in ``actor`` (``?event=ID``, ``?week=DATE``)."""
    event_id = week = None
    if in_session():
        event_id = query_int("event")
        week = query_date("week")
    return SchedulerApp(practice=Practice(db, clock), actor=actor, week=week,
                        event_id=event_id)
