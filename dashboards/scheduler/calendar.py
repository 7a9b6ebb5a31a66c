"""The clinician's week: a navigation bar, the HTML week (FullCalendar) and the legend.

The week receives its events as data (``week_feed``) and reports back what the user did: open an
event, book a free slot, move or resize an event, or press Escape. The app turns those requests
into use cases; a refused move is answered so the browser puts the event back.
"""

from __future__ import annotations

import math
from datetime import date, timedelta
from typing import Any

import pandas as pd
import panel as pn
import param

from dashboards.scheduler.week_feed import draft_item, parse_wall_clock, wall_clock, week_items
from dashboards.scheduler.week_grid import WeekGrid
from dashboards.shared.legend import legend
from dashboards.shared.messages import CloseEditor, MoveEvent, NewEvent, OpenEvent
from dashboards.shared.week_geometry import DEFAULT_FIRST_HOUR, DEFAULT_LAST_HOUR
from thera_analytics.domain.actor import Actor
from thera_analytics.domain.local_time import to_local, week_start
from thera_analytics.practice import Practice
from thera_analytics.service import catalog


class WeekCalendar(pn.viewable.Viewer):
    """One clinician's week; a manager picks the clinician."""

    practice = param.ClassSelector(class_=Practice, doc="The practice database and clock.")
    actor = param.ClassSelector(class_=Actor, doc="Who is looking.")
    week = param.Date(doc="Any day of the week shown (the calendar starts on its Monday).")
    clinician_id = param.Integer(default=None, allow_None=True,
                                 doc="Whose week; a clinician always sees their own.")
    show_weekend = param.Boolean(default=False, doc="Show Saturday and Sunday.")
    selected = param.Integer(default=None, allow_None=True, doc="The event open in the editor.")
    draft = param.Tuple(default=None, allow_None=True, length=2,
                        doc="Start and end (wall-clock) of a new event being booked.")
    events = param.DataFrame(doc="The week's events as Practice.week returns them.")
    request = param.Parameter(default=None, doc=(
        "The last thing the user did: OpenEvent, NewEvent, MoveEvent or CloseEditor."))

    def __init__(self, **params: object) -> None:
        self._ready = False
        super().__init__(**params)
        if self.actor.is_clinician:
            self.clinician_id = self.actor.clinician_id
        elif self.clinician_id is None:
            first = self._clinicians()
            self.clinician_id = next(iter(first.values()), None)
        if self.week is None:
            self.week = self._today()
        self.week = week_start(self.week)
        self.grid = WeekGrid(editable=self.actor.is_clinician, sizing_mode="stretch_width",
                             margin=(0, 10), css_classes=["thera-week"],
                             selected="" if self.selected is None else str(self.selected))
        self.grid.on_message(self._on_message)
        self._widgets()
        self._ready = True
        self._load()

    # -- data --------------------------------------------------------------------------------
    def _today(self) -> date:
        return to_local(self.practice.now(), self.practice.db.zone).date()

    def _clinicians(self) -> dict[str, int]:
        frame = catalog.clinicians(self.practice.db)
        return {str(n): int(i) for i, n in zip(frame["id"], frame["name"], strict=True)}

    def _load(self) -> None:
        if self.clinician_id is None:
            self.events = _empty_week()
        else:
            self.events = self.practice.week(self.actor, self.week, self.clinician_id)

    def refresh(self) -> None:
        """Read the week again (after a save)."""
        self._load()

    @param.depends("week", "clinician_id", watch=True)
    def _on_week(self) -> None:
        if not self._ready:
            return
        monday = week_start(self.week)
        if monday != self.week:
            self.week = monday  # re-enters with the Monday
            return
        self._load()

    @param.depends("events", "show_weekend", "draft", watch=True)
    def _redraw(self) -> None:
        if not self._ready:
            return
        frame = self.events if self.events is not None else _empty_week()
        items = week_items(frame)
        if self.draft is not None:
            items.append(draft_item(*self.draft))
        first, last = hour_range(frame)
        weekend = self.show_weekend or any(
            pd.Timestamp(s).weekday() >= 5 for s in frame["local_start"])
        now = to_local(self.practice.now(), self.practice.db.zone)
        self.grid.param.update(events=items, week=self.week.isoformat(),
                               now=wall_clock(now), weekends=weekend,
                               first_hour=first, last_hour=last)
        self._title.object = self._heading()
        self._date.value = self.week

    @param.depends("selected", watch=True)
    def _outline(self) -> None:
        # Only the outline moves: the week's events are not sent again.
        if self._ready:
            self.grid.selected = "" if self.selected is None else str(self.selected)

    # -- what the browser reports ------------------------------------------------------------------
    def _on_message(self, msg: dict[str, Any]) -> None:
        kind = msg.get("type")
        if kind == "open":
            self.request = OpenEvent(int(msg["id"]))
        elif kind == "book":
            start = parse_wall_clock(str(msg["start"]))
            start = start.replace(minute=start.minute - start.minute % 15)
            self.request = NewEvent(start)
        elif kind == "move":
            self.request = MoveEvent(int(msg["id"]), int(msg["version"]),
                                     parse_wall_clock(str(msg["start"])),
                                     parse_wall_clock(str(msg["end"])), str(msg["req"]))
        elif kind == "escape":
            self.request = CloseEditor()
        elif kind == "view":  # the view the browser chose for its width ("auto")
            self._showing = str(msg.get("view", "week"))
            self._view.value = self._showing

    def answer_move(self, move: MoveEvent, ok: bool, message: str = "") -> None:
        """Tell the browser whether a drag was saved; a refused one goes back where it was."""
        self.grid.send({"type": "moved", "req": move.request_id, "ok": ok, "message": message})

    def focus_event(self, event_id: int) -> None:
        """Put the keyboard focus on an event of the week (after the editor closes)."""
        self.grid.send({"type": "focus", "id": str(event_id)})

    def focus_editor(self, selector: str) -> None:
        """Move the keyboard focus to the editor's heading (after an event opens)."""
        self.grid.send({"type": "focus-editor", "selector": selector})

    # -- widgets -------------------------------------------------------------------------------
    def _widgets(self) -> None:
        self._prev = pn.widgets.Button(label="‹ Prev", width=75, description="Previous week")
        self._today_btn = pn.widgets.Button(label="Today", width=70, color="primary")
        self._next = pn.widgets.Button(label="Next ›", width=75, description="Next week")
        self._date = pn.widgets.DatePicker(name="Go to the week of", value=self.week,
                                           width=140, margin=(0, 10))
        # A checkbox group, because a lone Checkbox has no accessible name.
        self._weekend = pn.widgets.CheckBoxGroup(options=["Weekend"], value=[], inline=True,
                                                 margin=(14, 5), width=90)
        self._weekend.param.watch(
            lambda e: setattr(self, "show_weekend", "Weekend" in e.new), "value")
        self._view = pn.widgets.RadioButtonGroup(
            options={"Week": "week", "Agenda": "agenda"}, value="week", margin=(5, 10),
            width=150, description="Show the week as a grid or as a list by day")
        self._showing = "week"
        self._view.param.watch(self._on_view, "value")
        self._title = pn.pane.HTML(self._heading(), margin=(12, 10, 0, 10),
                                   stylesheets=[_BAR_CSS], css_classes=["thera-week-heading"])
        self._prev.on_click(lambda _: self._shift(-7))
        self._next.on_click(lambda _: self._shift(7))
        self._today_btn.on_click(lambda _: setattr(self, "week", week_start(self._today())))
        self._date.param.watch(self._on_date, "value")
        self._who = None
        if not self.actor.is_clinician:
            options = self._clinicians()
            self._who = pn.widgets.Select(label="Clinician", options=options,
                                          value=self.clinician_id, width=200, margin=(0, 10))
            self._who.link(self, value="clinician_id", bidirectional=True)

    def _on_view(self, event: param.parameterized.Event) -> None:
        # The toggle follows what the browser chose by width, without fixing that choice.
        if event.new != self._showing:
            self.grid.view = event.new

    def _on_date(self, event: param.parameterized.Event) -> None:
        if event.new is not None:
            self.week = week_start(event.new)

    def _shift(self, days: int) -> None:
        self.week = week_start(self.week) + timedelta(days=days)

    def _heading(self) -> str:
        monday = week_start(self.week)
        sunday = monday + timedelta(days=6)
        iso = monday.isocalendar()
        span = (f"{monday:%-d %b} – {sunday:%-d %b %Y}" if monday.year == sunday.year
                else f"{monday:%-d %b %Y} – {sunday:%-d %b %Y}")
        return (f'<h2 class="thera-week-title">{span}'
                f'<span class="thera-week-no">Week {iso.week}</span></h2>')

    def __panel__(self) -> pn.viewable.Viewable:
        bar = [self._prev, self._today_btn, self._next, self._date, self._title,
               pn.layout.HSpacer()]
        if self._who is not None:
            bar.append(self._who)
        bar.extend([self._view, self._weekend])
        return pn.Column(
            pn.FlexBox(*bar, flex_wrap="wrap", align_items="center",
                       sizing_mode="stretch_width"),
            self.grid,
            legend(),
            sizing_mode="stretch_width",
        )


_BAR_CSS = """
.thera-week-title { font-size: 1.15rem; color: #1f2328; display: flex; gap: 10px; margin: 0;
                    align-items: baseline; font-family: system-ui, sans-serif; font-weight: 700; }
.thera-week-no { font-size: 0.85rem; color: #57606a; font-weight: 400; }
"""


def hour_range(events: pd.DataFrame) -> tuple[int, int]:
    """The hours the week shows: 08:00 to 18:00, widened to fit every event."""
    if events.empty:
        return DEFAULT_FIRST_HOUR, DEFAULT_LAST_HOUR
    starts = pd.to_datetime(events["local_start"])
    ends = starts + pd.to_timedelta(events["duration_minutes"].astype("int64"), unit="m")
    first = min(DEFAULT_FIRST_HOUR, int(starts.dt.hour.min()))
    last_end = max(
        (e.hour + e.minute / 60 if e.date() == s.date() else 24.0)
        for s, e in zip(starts, ends, strict=True))
    return first, max(DEFAULT_LAST_HOUR, min(math.ceil(last_end), 24))


def _empty_week() -> pd.DataFrame:
    cols = ["event_id", "version", "kind_label", "event_group", "colour_family", "title",
            "local_start", "duration_minutes", "direct", "client_names", "attendance", "status",
            "signed_at", "dot_details", "dot_plan", "dot_outcome"]
    return pd.DataFrame({c: [] for c in cols})
