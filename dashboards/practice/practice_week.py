"""The practice week: one lane per clinician, colour-coded events with the three dots, filters.

Built like the scheduler's week: one DynamicMap per element (background, blocks, text, dots,
marks), overlaid and fed by one Pipe, with a Tap stream on the blocks (a stream on a DynamicMap
returning an Overlay never fires). Changing week, filter or day updates the same Bokeh models
in place; only the figure's height is set directly (in a hook), because the number of lanes
changes with the clinician filter.

The week is read once per week (``week_events``, ~50 ms for 1,500 events); filters work on that
frame in memory.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import partial
from html import escape

import holoviews as hv
import pandas as pd
import panel as pn
import param
from bokeh.models import ColumnDataSource

from dashboards.practice import week_plot
from dashboards.practice.context import PracticeContext
from dashboards.practice.lanes import (
    FRAME_WIDTH,
    KIND_CODE,
    LaneView,
    lane_view,
    week_summary,
)
from dashboards.practice.week_plot import BORDER_PX, NAMES_PX, OUTLINE_NAME
from dashboards.shared.labels import option_labels
from dashboards.shared.legend import LEGEND_CSS, legend_html
from dashboards.shared.messages import OpenEvent
from dashboards.week_table import TABLE_CSS, week_table_html
from dashboards.width_probe import WidthProbe
from thera_analytics.domain import palette
from thera_analytics.domain.kinds import EventKind
from thera_analytics.service import catalog
from thera_analytics.service.calendar import week_events

DAYS = ("Week", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
PRESENCE = ("All", "Direct", "Indirect")
INCOMPLETE = "Ended, not complete"
MAX_FRAME_WIDTH = 2400  # beyond this a day's hours spread too thin to read across
PLOT_MARGIN_PX = 20  # the plot pane's margin, left and right

WEEK_CSS = """
.thera-week-summary { font: 13px system-ui, sans-serif; color: #1f2328; }
.thera-week-summary b { font-weight: 600; }
.thera-week-summary .muted { color: #57606a; }
.thera-codes { font: 12px system-ui, sans-serif; color: #1f2328; display: flex;
               flex-wrap: wrap; gap: 4px 14px; }
.thera-codes .title { font-weight: 600; color: #57606a; }
.thera-codes code { font: 600 11px ui-monospace, monospace; background: #f6f8fa;
                    border: 1px solid #d0d7de; border-radius: 3px; padding: 0 4px; }
"""


class PracticeWeek(pn.viewable.Viewer):
    """Every clinician's week as lanes; click an event to read its record."""

    context = param.ClassSelector(class_=PracticeContext)
    events = param.DataFrame(doc="The week's events, every clinician, as week_events returns.")
    clinician_ids = param.List(default=[], item_type=int, doc="Only these clinicians' lanes.")
    kinds = param.List(default=[], item_type=str, doc="Only these kinds (stored values).")
    presence = param.Selector(objects=list(PRESENCE), default="All",
                              doc="Client events with the client present, or not.")
    service_ids = param.List(default=[], item_type=int, doc="Only these services.")
    incomplete_only = param.Boolean(default=False,
                                    doc="Only client events that ended and are not complete.")
    day = param.Selector(objects=list(DAYS), default="Week", doc="The whole week or one day.")
    selected = param.Integer(default=None, allow_None=True, doc="The event outlined.")
    request = param.Parameter(default=None, doc="The last click on an event: OpenEvent.")
    build_seconds = param.Number(default=0.0, doc="Server time of the last read and layout.")
    available_width = param.Integer(default=0, doc=(
        "The width the browser gives the week, in pixels (0: unknown); a wide screen gets a "
        "wider frame, and the text is fitted to it."))

    def __init__(self, **params: object) -> None:
        self._ready = False
        super().__init__(**params)
        self._clinicians = catalog.clinicians(self.context.db)
        services = catalog.services(self.context.db)
        self._service_names = dict(zip(services["id"].astype(int), services["name"],
                                       strict=True))
        self._shown = self.events.iloc[:0] if self.events is not None else None
        self._load()
        self._view = self._layout()
        self._pipe = hv.streams.Pipe(data=self._view)
        self._outlines: list[ColumnDataSource] = []
        self._figures: set[int] = set()
        self._widgets()
        # The same information as text, for keyboard and screen-reader users.
        self._table = pn.pane.HTML("", stylesheets=[TABLE_CSS], sizing_mode="stretch_width",
                                   margin=(6, 14), css_classes=["thera-practice-week-table"])
        self._plot = self._build_plot()
        self._ready = True
        self._refresh_text()

    # -- data ------------------------------------------------------------------------------------
    def _load(self) -> None:
        started = time.perf_counter()
        self.events = week_events(self.context.db, self.context.week)
        self.build_seconds = time.perf_counter() - started

    @param.depends("context.week", "context.as_of", watch=True)
    def _on_week(self) -> None:
        if self._ready:
            self._load()

    def filtered(self) -> pd.DataFrame:
        """The week's events the filters keep."""
        f = self.events
        if f is None or f.empty:
            return f if f is not None else pd.DataFrame()
        keep = pd.Series(True, index=f.index)
        client = f["event_group"].eq("client")
        if self.clinician_ids:
            keep &= f["clinician_id"].isin(self.clinician_ids)
        if self.kinds:
            keep &= f["kind"].astype(str).isin(self.kinds)
        if self.presence != "All":
            direct = f["direct"].astype("boolean").fillna(False).astype(bool)
            keep &= client & (direct if self.presence == "Direct" else ~direct)
        if self.service_ids:
            keep &= f["service_id"].isin(self.service_ids)
        if self.incomplete_only:
            ended = pd.to_datetime(f["ends_at"], utc=True) <= pd.Timestamp(self.context.as_of)
            keep &= client & ended & ~f["complete"].astype(bool)
        return f[keep]

    def lanes(self) -> pd.DataFrame:
        """The clinicians given a lane: those chosen, else everyone active or with events."""
        people = self._clinicians[["id", "name"]]
        if self.events is not None and len(self.events):
            owners = self.events[["clinician_id", "clinician_name"]].drop_duplicates()
            extra = owners[~owners["clinician_id"].isin(people["id"])].rename(
                columns={"clinician_id": "id", "clinician_name": "name"})
            if len(extra):
                people = pd.concat([people, extra]).sort_values(["name", "id"])
        if self.clinician_ids:
            people = people[people["id"].isin(self.clinician_ids)]
        return people.reset_index(drop=True)

    def frame_width(self) -> int:
        """The plot frame's width: all the room the browser gives, within limits."""
        if self.available_width <= 0:
            return FRAME_WIDTH
        room = self.available_width - NAMES_PX - BORDER_PX - PLOT_MARGIN_PX
        return int(min(max(room, FRAME_WIDTH), MAX_FRAME_WIDTH))

    def _layout(self) -> LaneView:
        started = time.perf_counter()
        focus = None if self.day == "Week" else DAYS.index(self.day) - 1
        self._shown = self.filtered()
        view = lane_view(self._shown, self.lanes(), self.context.week, focus=focus,
                         now=self.context.as_of, zone=self.context.zone,
                         frame_width=self.frame_width())
        self.build_seconds += time.perf_counter() - started
        return view

    @param.depends("available_width", watch=True)
    def _on_width(self) -> None:
        if self._ready and self.frame_width() != self._view.frame_width:
            self._redraw()

    @param.depends("events", "clinician_ids", "kinds", "presence", "service_ids",
                   "incomplete_only", "day", watch=True)
    def _redraw(self) -> None:
        if not self._ready:
            return
        self._view = self._layout()
        self._pipe.send(self._view)
        self._outline()
        self._refresh_text()

    def _refresh_text(self) -> None:
        self._summary.object = self._summary_html()
        shown = self._shown if self._shown is not None else pd.DataFrame()
        self._table.object = week_table_html(
            shown, f"Events of the week of {self.context.week:%-d %B %Y} the filters keep.")

    def _summary_html(self) -> str:
        shown = self._shown if self._shown is not None else pd.DataFrame()
        total = 0 if self.events is None else len(self.events)
        s = week_summary(shown, self.context.as_of)
        lanes = len(self._view.lanes)
        filtered = len(shown) != total
        head = (f"<b>{s['events']:,}</b> of {total:,} events shown" if filtered
                else f"<b>{total:,}</b> events")
        return (
            f'<div class="thera-week-summary">{head} · {lanes} clinician'
            f'{"" if lanes == 1 else "s"} · <b>{s["client_events"]:,}</b> client events: '
            f'{s["ended"]:,} ended, <b data-figure="week-incomplete">{s["incomplete"]:,}</b> '
            f'of them not complete; {s["to_come"]:,} still to come'
            '<span class="muted"> · hover for details, click to read the record</span></div>')

    # -- widgets ---------------------------------------------------------------------------------
    def _widgets(self) -> None:
        w = pn.widgets
        # MultiChoice shows its labels as HTML: escaped, and made unique (see the scheduler).
        names = option_labels(self._clinicians["name"], self._clinicians["id"], markup=True)
        services = pd.Series(self._service_names)
        self._who = w.MultiChoice(label="Clinicians", options=names, placeholder="All clinicians",
                                  width=280, margin=(0, 10, 5, 0), search_option_limit=60,
                                  css_classes=["thera-filter-clinicians"])
        self._kind = w.MultiChoice(label="Kinds", options={k.label: k.value for k in EventKind},
                                   placeholder="All kinds", width=280, margin=(0, 10, 5, 0),
                                   css_classes=["thera-filter-kinds"])
        self._service = w.MultiChoice(
            label="Services",
            options=option_labels(services, pd.Series(services.index), markup=True),
            placeholder="All services", width=240, margin=(0, 10, 5, 0),
            css_classes=["thera-filter-services"])
        self._presence = w.RadioButtonGroup(label="Client present", options=list(PRESENCE),
                                            value=self.presence, color="light",
                                            margin=(22, 10, 5, 0))
        self._incomplete = w.CheckBoxGroup(options=[INCOMPLETE], value=[], inline=True,
                                           margin=(26, 10, 5, 0))
        self._day = w.RadioButtonGroup(options=list(DAYS), value=self.day, color="light",
                                       margin=(0, 10, 5, 0), css_classes=["thera-day-focus"])
        self._clear = w.Button(label="Clear filters", color="light", width=110,
                               margin=(22, 0, 5, 0))
        self._who.link(self, value="clinician_ids", bidirectional=True)
        self._kind.link(self, value="kinds", bidirectional=True)
        self._service.link(self, value="service_ids", bidirectional=True)
        self._presence.link(self, value="presence", bidirectional=True)
        self._day.link(self, value="day", bidirectional=True)
        self._incomplete.param.watch(
            lambda e: setattr(self, "incomplete_only", INCOMPLETE in e.new), "value")
        self._clear.on_click(lambda _: self.clear_filters())
        self._summary = pn.pane.HTML("", stylesheets=[WEEK_CSS], sizing_mode="stretch_width",
                                     margin=(4, 10), css_classes=["thera-week-summary-pane"])
        self._probe = WidthProbe()
        self._probe.link(self, width_px="available_width")

    def clear_filters(self) -> None:
        self._incomplete.value = []
        self.param.update(clinician_ids=[], kinds=[], presence="All", service_ids=[],
                          incomplete_only=False)

    # -- plot ------------------------------------------------------------------------------------
    def _build_plot(self) -> pn.pane.HoloViews:
        hooks = [self._on_figure]

        def layer(element: Callable[..., hv.Element], *extra: Callable[..., None]
                  ) -> hv.DynamicMap:
            return hv.DynamicMap(partial(element, hooks=[*hooks, *extra]), streams=[self._pipe])

        background = layer(week_plot.background)
        self._blocks = layer(week_plot.blocks,
                             partial(week_plot.colour_columns, fill="fill", line="edge"))
        text, dots, marks = (layer(week_plot.labels), layer(week_plot.dots),
                             layer(week_plot.marks))
        self._tap = hv.streams.Tap(source=self._blocks, x=None, y=None)
        self._tap.add_subscriber(self._on_tap)
        # The overlay sets the figure's sizes after its layers' hooks ran: size it last.
        overlay = (background * self._blocks * text * dots * marks).opts(
            hv.opts.Overlay(framewise=True, hooks=[
                lambda plot, _: week_plot.size_figure(plot.state, self._view)]))
        return pn.pane.HoloViews(overlay, margin=(0, 10), linked_axes=False)

    def _on_tap(self, x: float | None = None, y: float | None = None) -> None:
        if x is None or y is None:
            return
        event_id = self._view.event_at(float(x), float(y))
        if event_id is not None:
            self.selected = event_id
            self.request = OpenEvent(event_id)

    def _on_figure(self, plot: object, element: object) -> None:
        """HoloViews hook: the height for the lanes shown (every update); style and the
        selection outline (once per figure)."""
        fig = plot.state  # type: ignore[attr-defined]
        # HoloViews resets sizes and borders on every update.
        week_plot.size_figure(fig, self._view)
        if id(fig) in self._figures:
            return
        self._figures.add(id(fig))
        week_plot.style_figure(fig)
        source = ColumnDataSource({"left": [], "right": [], "bottom": [], "top": []})
        fig.quad(left="left", right="right", bottom="bottom", top="top", source=source,
                 fill_alpha=0, line_color=palette.TEXT, line_width=3, name=OUTLINE_NAME,
                 level="overlay")
        self._outlines.append(source)
        self._outline()

    @param.depends("selected", watch=True)
    def _outline(self) -> None:
        if not self._ready:
            return
        b = self._view.blocks
        chosen = b[b["event_id"] == self.selected] if self.selected is not None else b.iloc[:0]
        data = {"left": chosen["x0"].tolist(), "right": chosen["x1"].tolist(),
                "bottom": chosen["y0"].tolist(), "top": chosen["y1"].tolist()}
        with pn.io.unlocked():
            for source in self._outlines:
                source.data = data

    def __panel__(self) -> pn.viewable.Viewable:
        filters = pn.Row(self._who, self._kind, self._service, self._presence, self._incomplete,
                         self._clear, sizing_mode="stretch_width", margin=(0, 10),
                         css_classes=["thera-week-filters"])
        return pn.Column(
            filters,
            pn.Row(self._day, self._summary, sizing_mode="stretch_width", margin=(0, 10)),
            self._probe,
            self._plot,
            legend(),
            self._table,
            sizing_mode="stretch_width",
            css_classes=["thera-practice-week"],
        )


def codes_html() -> str:
    """What the one-letter codes on narrow blocks stand for."""
    items = "".join(f"<span><code>{escape(code)}</code> {escape(label)}</span>"
                    for label, code in KIND_CODE.items())
    return (f'<div class="thera-codes"><span class="title">Codes</span>{items}'
            '<span class="title">Pick a day above for names and attendance</span></div>')


def legend() -> pn.pane.HTML:
    """The scheduler's legend (colours, dots, attendance) plus the kind codes."""
    return pn.pane.HTML(legend_html() + codes_html(), stylesheets=[LEGEND_CSS, WEEK_CSS],
                        margin=(6, 14), sizing_mode="stretch_width",
                        css_classes=["thera-calendar-legend"])
