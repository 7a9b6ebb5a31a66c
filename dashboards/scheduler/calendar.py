"""The colour-coded week: days as columns, hours as rows, the three dots on client events.

One DynamicMap per element (background, blocks, text, dots, attendance marks), overlaid, all fed
by one Pipe: a stream attached to a DynamicMap returning an Overlay never fires, and changing week
through the DynamicMaps updates the same Bokeh models in place (no flicker, streams kept).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import partial

import holoviews as hv
import holoviews.plotting.bokeh  # noqa: F401  (the Bokeh backend; no notebook extension)
import pandas as pd
import panel as pn
import param
from bokeh.models import ColumnDataSource, Plot

from dashboards.scheduler.blocks import FONT_PX, FRAME_HEIGHT, FRAME_WIDTH, WeekView, week_view
from dashboards.scheduler.legend import legend
from thera_analytics.domain import palette
from thera_analytics.domain.actor import Actor
from thera_analytics.domain.local_time import to_local, week_start
from thera_analytics.practice import Practice
from thera_analytics.service import catalog

# Select the Bokeh backend (and its options, which hv.opts needs); unlike hv.extension, this
# loads no notebook extension and no JavaScript.
hv.Store.set_current_backend("bokeh")

PLOT_NAME = "thera-week"
OUTLINE_NAME = "thera-selected"

TOOLTIPS = [
    ("", "@kind_label"),
    ("", "@who"),
    ("", "@when"),
    ("", "@attendance_text"),
    ("", "@dots_text"),
]


@dataclass(eq=False)
class OpenEvent:
    """The user clicked an event."""

    event_id: int


@dataclass(eq=False)
class NewEvent:
    """The user clicked an empty slot: book something starting then (wall-clock time)."""

    start: datetime


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
    request = param.Parameter(default=None, doc="The last click: OpenEvent or NewEvent.")

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
        self._view = self._build_view()
        self._pipe = hv.streams.Pipe(data=self._view)
        self._outlines: list[ColumnDataSource] = []  # one per figure shown of this calendar
        self._figures: set[int] = set()
        self._widgets()
        self._plot = self._build_plot()
        self._ready = True
        self._load()

    # -- data --------------------------------------------------------------------------------
    def _today(self) -> date:
        return to_local(self.practice.now(), self.practice.db.zone).date()

    def _clinicians(self) -> dict[str, int]:
        frame = catalog.clinicians(self.practice.db)
        return {str(n): int(i) for i, n in zip(frame["id"], frame["name"], strict=True)}

    def _build_view(self) -> WeekView:
        frame = self.events if self.events is not None else _empty_week()
        return week_view(frame, self.week, today=self._today(),
                         show_weekend=self.show_weekend)

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

    @param.depends("events", "show_weekend", watch=True)
    def _redraw(self) -> None:
        if not self._ready:
            return
        self._view = self._build_view()
        self._pipe.send(self._view)
        self._outline()
        self._title.object = self._heading()
        self._date.value = self.week

    @param.depends("selected", "draft", watch=True)
    def _outline(self) -> None:
        """Outline the selected event, or the slot of a new one. Only this small Bokeh source
        changes: re-rendering the overlay through HoloViews for one outline costs far more."""
        if not self._ready:
            return
        b = self._view.blocks
        chosen = b[b["event_id"] == self.selected] if self.selected is not None else b.iloc[:0]
        data = {"left": chosen["x0"].tolist(), "right": chosen["x1"].tolist(),
                "bottom": chosen["y0"].tolist(), "top": chosen["y1"].tolist()}
        if self.selected is None and self.draft is not None:
            start, end = self.draft
            day = (start.date() - self.week).days
            if 0 <= day < self._view.days:
                hours = start.hour + start.minute / 60
                length = (end - start).total_seconds() / 3600
                data = {"left": [day + 0.03], "right": [day + 0.97], "bottom": [hours],
                        "top": [hours + length]}
        # A plain Bokeh model changed from a server callback: Panel's ``unlocked`` sends the
        # change to the browser without holding the document lock.
        with pn.io.unlocked():
            for source in self._outlines:
                source.data = data

    def _on_figure(self, plot: object, element: object) -> None:
        """HoloViews hook: style the figure and give it the selection outline (once)."""
        fig = plot.state  # type: ignore[attr-defined]
        if id(fig) in self._figures:  # HoloViews runs hooks on every update, too
            return
        self._figures.add(id(fig))
        _style_figure(fig)
        source = ColumnDataSource({"left": [], "right": [], "bottom": [], "top": []})
        fig.quad(left="left", right="right", bottom="bottom", top="top", source=source,
                 fill_alpha=0, line_color=palette.TEXT, line_width=3, name=OUTLINE_NAME,
                 level="overlay")
        self._outlines.append(source)
        self._outline()

    # -- widgets -------------------------------------------------------------------------------
    def _widgets(self) -> None:
        self._prev = pn.widgets.Button(label="‹ Prev", width=75, description="Previous week")
        self._today_btn = pn.widgets.Button(label="Today", width=70, color="primary")
        self._next = pn.widgets.Button(label="Next ›", width=75, description="Next week")
        self._date = pn.widgets.DatePicker(value=self.week, width=125, margin=(5, 10),
                                           description="Go to the week of a date")
        # A checkbox group, because a lone Checkbox has no accessible name.
        self._weekend = pn.widgets.CheckBoxGroup(options=["Weekend"], value=[], inline=True,
                                                 margin=(14, 5), width=90)
        self._weekend.param.watch(
            lambda e: setattr(self, "show_weekend", "Weekend" in e.new), "value")
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
        return (f'<div class="thera-week-title"><b>{span}</b>'
                f'<span class="thera-week-no">Week {iso.week}</span></div>')

    # -- plot ----------------------------------------------------------------------------------
    def _build_plot(self) -> pn.pane.HoloViews:
        hooks = [self._on_figure]
        background = hv.DynamicMap(partial(_background, hooks=hooks), streams=[self._pipe])
        self._blocks = hv.DynamicMap(partial(_blocks, hooks=hooks), streams=[self._pipe])
        text = hv.DynamicMap(partial(_labels, hooks=hooks), streams=[self._pipe])
        dots = hv.DynamicMap(partial(_dots, hooks=hooks), streams=[self._pipe])
        marks = hv.DynamicMap(partial(_marks, hooks=hooks), streams=[self._pipe])
        self._tap = hv.streams.Tap(source=self._blocks, x=None, y=None)
        self._tap.add_subscriber(self._on_tap)
        overlay = (background * self._blocks * text * dots * marks).opts(
            hv.opts.Overlay(framewise=True))
        return pn.pane.HoloViews(overlay, margin=(0, 10), linked_axes=False)

    def _on_tap(self, x: float | None = None, y: float | None = None) -> None:
        if x is None or y is None:
            return
        event_id = self._view.event_at(float(x), float(y))
        if event_id is not None:
            self.request = OpenEvent(event_id)
            return
        start = self._view.slot_at(float(x), float(y))
        if start is not None:
            self.request = NewEvent(start)

    def __panel__(self) -> pn.viewable.Viewable:
        bar = [self._prev, self._today_btn, self._next, self._date, self._title,
               pn.layout.HSpacer()]
        if self._who is not None:
            bar.append(self._who)
        bar.append(self._weekend)
        return pn.Column(
            pn.Row(*bar, sizing_mode="stretch_width"),
            self._plot,
            legend(),
            sizing_mode="stretch_width",
        )


_BAR_CSS = """
.thera-week-title { font-size: 1.15rem; color: #1f2328; display: flex; gap: 10px;
                    align-items: baseline; font-family: system-ui, sans-serif; }
.thera-week-no { font-size: 0.85rem; color: #57606a; }
"""


def _empty_week() -> pd.DataFrame:
    cols = ["event_id", "kind_label", "event_group", "colour_family", "title", "local_start",
            "duration_minutes", "direct", "client_names", "attendance", "status", "dot_details",
            "dot_plan", "dot_outcome"]
    return pd.DataFrame({c: [] for c in cols})


def _axes(view: WeekView, hooks: list[Callable[..., None]]) -> dict[str, object]:
    return {
        "xlim": (0, view.days),
        "ylim": (view.first_hour, view.last_hour),
        "invert_yaxis": True,
        "xticks": view.x_ticks,
        "yticks": view.y_ticks,
        "frame_width": FRAME_WIDTH,
        "frame_height": FRAME_HEIGHT,
        "xlabel": "",
        "ylabel": "",
        "toolbar": None,
        "default_tools": [],
        "xaxis": "top",
        "show_grid": False,
        "hooks": hooks,
    }


def _style_figure(fig: Plot) -> None:
    fig.name = PLOT_NAME
    # A few dozen glyphs draw faster on a 2D canvas than through WebGL, whose blit on every
    # layout pass dominates when the browser has no GPU.
    fig.output_backend = "canvas"
    # The frame size rules; a width and height too keep Bokeh's fixed-size check quiet.
    fig.width, fig.height = FRAME_WIDTH + 60, FRAME_HEIGHT + 30
    fig.outline_line_color = palette.GRID
    fig.xaxis.major_label_text_font_size = "12px"
    fig.xaxis.major_label_text_font_style = "bold"
    fig.xaxis.major_label_text_color = palette.TEXT
    fig.yaxis.major_label_text_color = "#57606a"
    for axis in (*fig.xaxis, *fig.yaxis):
        axis.major_tick_line_color = None
        axis.minor_tick_line_color = None
        axis.axis_line_color = None
    fig.ygrid.grid_line_color = palette.GRID
    fig.ygrid.grid_line_alpha = 0.7
    fig.ygrid.level = "underlay"
    fig.xgrid.grid_line_color = None


def _background(data: WeekView, hooks: list[Callable[..., None]]) -> hv.Rectangles:
    rows = [(i, data.first_hour, i + 1, data.last_hour,
             palette.TODAY if i == data.today_index else "#ffffff",
             0.9 if i == data.today_index else 0.0) for i in range(data.days)]
    frame = pd.DataFrame(rows, columns=["x0", "y0", "x1", "y1", "fill", "alpha"])
    return hv.Rectangles(frame, vdims=["fill", "alpha"]).opts(
        color="fill", fill_alpha="alpha", line_color=palette.GRID, line_width=1,
        **_axes(data, hooks))


def _blocks(data: WeekView, hooks: list[Callable[..., None]]) -> hv.Rectangles:
    frame = data.blocks
    return hv.Rectangles(
        frame, kdims=["x0", "y0", "x1", "y1"],
        vdims=["fill", "edge", "kind_label", "who", "when", "attendance_text",
               "dots_text", "event_id"],
    ).opts(color="fill", line_color="edge", line_width=1, tools=["hover"],
           hover_tooltips=TOOLTIPS, nonselection_alpha=1.0, **_axes(data, hooks))


def _labels(data: WeekView, hooks: list[Callable[..., None]]) -> hv.Labels:
    return hv.Labels(data.labels, kdims=["x", "y"], vdims=["text"]).opts(
        text_align="left", text_baseline="top", text_font_size=f"{FONT_PX}px",
        text_color=palette.TEXT, **_axes(data, hooks))


def _dots(data: WeekView, hooks: list[Callable[..., None]]) -> hv.Points:
    return hv.Points(data.dots, kdims=["x", "y"], vdims=["colour", "dot", "event_id"]).opts(
        color="colour", size=8, line_color="#ffffff", line_width=1, marker="circle",
        **_axes(data, hooks))


def _marks(data: WeekView, hooks: list[Callable[..., None]]) -> hv.Points:
    return hv.Points(data.marks, kdims=["x", "y"], vdims=["colour", "value", "event_id"]).opts(
        color="colour", size=9, line_color="#ffffff", line_width=1, marker="square",
        **_axes(data, hooks))
