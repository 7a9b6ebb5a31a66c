"""The clinician's scheduler: the week calendar beside the event editor, at ``/scheduler``."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import panel as pn
import param

from dashboards.panel_internals import LayoutBatching
from dashboards.scheduler.calendar import WeekCalendar
from dashboards.scheduler.calendar_download import CalendarDownload
from dashboards.scheduler.editor import EDITOR_CSS, EventEditor
from dashboards.scheduler.move_prompt import MovePrompt
from dashboards.session_query import in_session, query_date, query_int
from dashboards.shared.feedback import split_refusal
from dashboards.shared.messages import CloseEditor, MoveEvent, NewEvent, OpenEvent
from dashboards.shell import AppShell
from thera_analytics.clock import Clock, system_clock
from thera_analytics.domain.actor import Actor
from thera_analytics.domain.errors import PracticeError
from thera_analytics.domain.local_time import to_local, week_start
from thera_analytics.practice import Practice
from thera_analytics.service.scheduling import OverlapError
from thera_analytics.store.database import Database

DAY_STARTS, DAY_ENDS = 9, 18  # hours for a booking made without picking a slot
EDITOR_WIDTH = 380
EDITOR_MAX_WIDTH = 560
EDITOR_HEAD = ".thera-editor-head"

APP_CSS = """
:host { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; }
"""
# The week and the editor side by side on a wide screen, one above the other on a phone.
LAYOUT_CSS = """
:host { flex-wrap: wrap !important; align-items: flex-start; }
.thera-week-panel { flex: 3 1 640px !important; width: auto !important; min-width: 0; }
.thera-editor-panel { flex: 1 1 340px !important; width: auto !important; }
@media (max-width: 700px) {
  .thera-week-panel, .thera-editor-panel { flex: 1 1 100% !important; }
  .thera-editor-panel { border-left: none !important; padding-left: 0 !important;
                        margin: 10px 0 !important; max-width: 100% !important;
                        box-sizing: border-box; }
}
"""
# The editor never asks for more width than the panel has (a phone is 390 px wide).
SLOT_CSS = """
.thera-editor { min-width: 0 !important; max-width: 100% !important; }
"""


class SchedulerApp(pn.viewable.Viewer):
    """Week calendar (left) and editor (right); clicking the one drives the other.

    The editor's forms are not built with the page (which then costs the server little): they
    are built, hidden, once the page has loaded (``prepare_editor``), or at the first open or
    booking if that comes first.
    """

    practice = param.ClassSelector(class_=Practice)
    actor = param.ClassSelector(class_=Actor)
    batch_layout = param.Boolean(default=True, doc=(
        "Merge the browser's layout passes per server message (panel_internals)."))

    def __init__(self, *, week: date | None = None, event_id: int | None = None,
                 **params: object) -> None:
        super().__init__(**params)
        self.calendar = WeekCalendar(practice=self.practice, actor=self.actor, week=week)
        self.moves = MovePrompt()
        self.download = CalendarDownload(practice=self.practice, actor=self.actor)
        self._editor: EventEditor | None = None
        self._book = pn.widgets.Button(label="Book an event…", color="primary", width=160,
                                       visible=self.actor.is_clinician,
                                       description="Open a new event form (or click an "
                                                   "empty slot)")
        self._book.on_click(lambda _: self.book(self.suggested_start()))
        self._placeholder = pn.Column(pn.pane.HTML(
            '<div class="thera-empty">Click an event to open it,<br>or an empty slot on the '
            "calendar to book a session at that time.</div>",
            stylesheets=[EDITOR_CSS], sizing_mode="stretch_width"), self._book,
            sizing_mode="stretch_width", margin=0)
        self._editor_box = pn.Column(sizing_mode="stretch_width", margin=0, visible=False)
        self._editor_slot = pn.Column(self._placeholder, self._editor_box,
                                      sizing_mode="stretch_width", margin=0,
                                      stylesheets=[SLOT_CSS])
        self.calendar.param.watch(self._on_request, "request")
        if event_id is not None:
            self.open_event(event_id)
        elif in_session():
            pn.state.onload(self.prepare_editor)

    @property
    def editor(self) -> EventEditor:
        """The event editor, shown from the first time it is needed."""
        editor = self._editor or self._build_editor()
        if not self._editor_box.visible:
            with pn.io.hold():
                self._placeholder.visible = False
                self._editor_box.visible = True
        return editor

    def prepare_editor(self) -> None:
        """Build the editor, hidden, once the week is drawn: its forms reach the browser while
        the clinician reads the week, so the first click on a session only fills them in."""
        if self._editor is None:
            self._build_editor()

    def _build_editor(self) -> EventEditor:
        editor = EventEditor(practice=self.practice, actor=self.actor)
        editor.param.watch(self._on_saved, "saved")
        editor.param.watch(self._on_record, "record")
        editor.param.watch(
            lambda _: self.calendar.param.update(selected=None, draft=None), "closed")
        editor.param.watch(lambda _: self.book(self.suggested_start()), "book_requested")
        self._editor = editor
        self._editor_box.objects = [editor]
        return editor

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
        # What one request changes reaches the browser as one message: the page is laid out
        # once for it, not once per change.
        with pn.io.hold():
            shown = self._answer(event.new)
        if shown:  # after the editor's message: its heading is drawn by then
            self.calendar.focus_editor(EDITOR_HEAD)

    def _answer(self, request: object) -> bool:
        """Do what the week asked; True when the editor now shows an event to focus."""
        if isinstance(request, OpenEvent):
            return self.editor.open(request.event_id)
        if isinstance(request, NewEvent):
            self.book(request.start)
            return True
        if isinstance(request, MoveEvent):
            self.move(request)
        elif isinstance(request, CloseEditor):
            self._close_editor()
        return False

    def _close_editor(self) -> None:
        if self._editor is None or not self._editor.is_open:
            return
        rec = self._editor.record
        self._editor.close()
        if rec is not None:
            self.calendar.focus_event(rec.id)

    def book(self, start: datetime) -> None:
        """A new event form at ``start``, its slot outlined on the calendar."""
        self.calendar.selected = None
        self.editor.new(start)
        if self.editor.is_open and self.editor.record is None:
            self.calendar.draft = self.editor.details.times()

    # -- drag to move or resize ------------------------------------------------------------------
    def move(self, move: MoveEvent, scope: str | None = None,
             allow_overlap: bool = False) -> None:
        """Reschedule a dragged event through the core; ask first when the core needs to know
        more (which sessions of a series, or whether to overlap another event)."""
        try:
            rec = self.practice.event(self.actor, move.event_id)
        except PracticeError as exc:
            self._refuse_move(move, exc)
            return
        when = f"{move.start:%a %-d %b} {move.start:%H:%M}–{move.end:%H:%M}"
        if scope is None and rec.series_id is not None:
            self.moves.ask(
                f"{rec.kind.label} moves to {when}. Move only this session, or this and the "
                "following sessions of the series?",
                {"This session": lambda: self.move(move, "this", allow_overlap),
                 "This and following": lambda: self.move(move, "following", allow_overlap),
                 "Put it back": lambda: self._abandon_move(move)})
            return
        try:
            moved = self.practice.reschedule(self.actor, move.event_id, move.version,
                                             move.start, move.end, scope=scope or "this",
                                             allow_overlap=allow_overlap)
        except OverlapError as exc:
            clashes = len(exc.overlaps)
            self.moves.ask(
                f"At {when} this overlaps {clashes} other event"
                f"{'s' if clashes > 1 else ''} of yours.",
                {"Move anyway": lambda: self.move(move, scope or "this", True),
                 "Put it back": lambda: self._abandon_move(move)})
            return
        except PracticeError as exc:
            self._refuse_move(move, exc)
            return
        text = (f"Moved to {when}." if len(moved) == 1
                else f"Moved {len(moved)} sessions by the same shift.")
        self.moves.tell("success", text)
        self.calendar.answer_move(move, True, text)
        self.calendar.refresh()
        if self._editor is not None and self._editor.record is not None \
                and self._editor.record.id in moved:
            self._editor.reload()

    def _abandon_move(self, move: MoveEvent) -> None:
        self.moves.tell("info", "Not moved.")
        self.calendar.answer_move(move, False, "Not moved.")

    def _refuse_move(self, move: MoveEvent, exc: PracticeError) -> None:
        _, message = split_refusal(exc)
        text = "Not moved: " + message + "."
        self.moves.tell("error", text)
        self.calendar.answer_move(move, False, text)
        self.calendar.refresh()

    # -- the editor's side -------------------------------------------------------------------------
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
        week = pn.Column(self.moves, self.calendar, sizing_mode="stretch_width", margin=0,
                         css_classes=["thera-week-panel"])
        editor = pn.Column(self.download, self._editor_slot, sizing_mode="stretch_width",
                           max_width=EDITOR_MAX_WIDTH, margin=(10, 10),
                           styles={"border-left": "1px solid #d0d7de", "padding-left": "12px"},
                           css_classes=["thera-editor-panel"])
        body = pn.FlexBox(week, editor, flex_wrap="wrap", sizing_mode="stretch_width",
                          margin=0, stylesheets=[APP_CSS, LAYOUT_CSS])
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
