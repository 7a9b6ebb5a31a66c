"""HoloViews charts of the report tables, coloured from ``domain.palette`` only.

It lives beside the apps, not in the core, so importing ``thera_analytics`` never loads a
plotting library; the notebooks, the HTML export and the dashboards import it from here.
Each function takes a table from the report functions and returns a HoloViews object.
Nothing here loads a notebook extension: a notebook's first cell calls
``dashboards.notebook.setup()``.
"""

from __future__ import annotations

from collections.abc import Sequence

import holoviews as hv
import holoviews.plotting.bokeh  # noqa: F401  (registers the Bokeh backend the options target)
import pandas as pd

from thera_analytics.domain.attendance import Attendance
from thera_analytics.domain.backlog import BUCKET_LABELS
from thera_analytics.domain.palette import (
    ATTENDANCE,
    DOT_GREEN,
    DOT_GREY,
    EDGE,
    GRID,
    TEXT,
    ColourFamily,
)
from thera_analytics.reports.signing import DELAY_BINS, NOT_SIGNED, SIGNING_TARGET_HOURS

WIDTH = 760
HEIGHT = 300
# Legends go beside the plot (HoloViews draws "right" outside the frame): inside, a corner
# legend covers the points that happen to fall there.
LEGEND_BESIDE = "right"
# Half a week of room before the first and after the last week of a trend, so the end points
# and their markers are drawn whole rather than cut by the frame.
WEEK_MARGIN = pd.Timedelta(days=3.5)

# The backlog's age buckets run from fresh (green) to overdue (dark); all palette colours.
BUCKET_COLOURS: dict[str, str] = dict(zip(
    BUCKET_LABELS,
    (ATTENDANCE["attended"], ATTENDANCE["late_cancellation"], ATTENDANCE["cancelled"],
     EDGE[ColourFamily.PINK], TEXT),
    strict=True,
))

# Completion dots: each dot its own palette colour, "complete" the green of a finished dot.
DOT_COLOURS: dict[str, str] = {
    "details_share": EDGE[ColourFamily.BLUE],
    "plan_share": EDGE[ColourFamily.PURPLE],
    "outcome_share": EDGE[ColourFamily.PEACH],
    "complete_share": DOT_GREEN,
}
_DOT_LABELS = {"details_share": "Details", "plan_share": "Plan", "outcome_share": "Outcome",
               "complete_share": "Complete"}


def attendance_trend_chart(
    trend: pd.DataFrame,
    values: Sequence[str] = ("no_show", "late_cancellation"),
    title: str = "No-show and late-cancellation rates",
) -> hv.Overlay:
    """Rates of the chosen attendance values per week or month (from ``attendance_trend``)."""
    x = "week_start" if "week_start" in trend.columns else "month"
    data = trend.copy()
    if x == "week_start":
        data[x] = pd.to_datetime(data[x])
    layers = []
    for value in values:
        label = Attendance(value).label
        column = f"{value}_rate"
        frame = data[[x, column, value, "marked"]].rename(columns={column: "rate"})
        frame["rate"] = frame["rate"] * 100
        colour = ATTENDANCE[value]
        opts = dict(color=colour, tools=["hover"])
        layers.append(hv.Curve(frame, x, ["rate", value, "marked"], label=label).opts(
            line_width=2, **opts))
        layers.append(hv.Scatter(frame, x, ["rate", value, "marked"], label=label).opts(
            size=6, **opts))
    return hv.Overlay(layers).opts(
        width=WIDTH, height=HEIGHT, title=title, ylabel="% of marked client sessions",
        xlabel="Week" if x == "week_start" else "Month", legend_position=LEGEND_BESIDE,
        show_grid=True, gridstyle={"grid_line_color": GRID},
        **(_week_margins(data[x]) if x == "week_start" else {}),
    )


def attendance_mix_chart(table: pd.DataFrame, by: str, label_column: str,
                         title: str = "Attendance mix") -> hv.Bars:
    """Stacked shares of every attendance value per group (clinician, service, weekday...)."""
    rows = []
    for _, row in table.iterrows():
        for a in Attendance:
            rows.append({by: str(row[label_column]), "attendance": a.label,
                         "share": 100 * float(row[f"{a.value}_rate"] or 0),
                         "client_sessions": int(row[a.value])})
    frame = pd.DataFrame(rows, columns=[by, "attendance", "share", "client_sessions"])
    colours = [a.colour for a in Attendance]
    return hv.Bars(frame, [by, "attendance"], ["share", "client_sessions"]).opts(
        stacked=True, cmap=colours, width=WIDTH, height=HEIGHT, title=title,
        xlabel=by.capitalize(), ylabel="% of marked client sessions", xrotation=30,
        tools=["hover"],
        legend_position=LEGEND_BESIDE, line_color=None,
    )


def backlog_trend_chart(trend: pd.DataFrame, title: str = "Backlog at the end of each week"
                        ) -> hv.Bars:
    """The backlog per week as stacked age buckets (from ``backlog_trend``)."""
    rows = []
    for _, row in trend.iterrows():
        week = pd.Timestamp(row["week_start"]).strftime("%d %b")
        for bucket in BUCKET_LABELS:
            rows.append({"week": week, "age": bucket, "notes": int(row[bucket])})
    frame = pd.DataFrame(rows, columns=["week", "age", "notes"])
    return hv.Bars(frame, ["week", "age"], "notes").opts(
        stacked=True, cmap=[BUCKET_COLOURS[b] for b in BUCKET_LABELS], width=WIDTH,
        height=HEIGHT, title=title, xlabel="Week starting", ylabel="Incomplete notes",
        tools=["hover"], legend_position=LEGEND_BESIDE, line_color=None,
    )


def backlog_by_clinician_chart(table: pd.DataFrame, title: str = "Backlog by clinician"
                               ) -> hv.Bars:
    """Backlog per clinician as stacked age buckets (from ``backlog_by_clinician``)."""
    rows = [{"clinician": str(row["clinician"]), "age": bucket, "notes": int(row[bucket])}
            for _, row in table.iterrows() for bucket in BUCKET_LABELS]
    frame = pd.DataFrame(rows, columns=["clinician", "age", "notes"])
    return hv.Bars(frame, ["clinician", "age"], "notes").opts(
        stacked=True, cmap=[BUCKET_COLOURS[b] for b in BUCKET_LABELS], width=WIDTH,
        height=HEIGHT, title=title, xlabel="Clinician", ylabel="Incomplete notes", xrotation=30,
        tools=["hover"],
        legend_position=LEGEND_BESIDE, line_color=None,
    )


def signing_delay_chart(distribution: pd.DataFrame,
                        title: str = "Time from session end to signature") -> hv.Bars:
    """Notes per delay bin (from ``signing_delay_distribution``): green within 24 h, orange
    within 48 h, red later, grey not signed."""
    low, high = SIGNING_TARGET_HOURS
    colour = {b.label: (DOT_GREEN if b.max_hours <= low else
                        ATTENDANCE["late_cancellation"] if b.max_hours <= high else
                        ATTENDANCE["cancelled"]) for b in DELAY_BINS}
    colour[NOT_SIGNED] = DOT_GREY
    frame = distribution[["delay", "notes", "share"]].copy()
    frame["share"] = frame["share"].fillna(0) * 100
    frame["target"] = frame["delay"].map(lambda d: _target(d, low, high))
    return hv.Bars(frame, "delay", ["notes", "share", "target"]).opts(
        color="delay", cmap=colour, width=WIDTH, height=HEIGHT, title=title,
        xlabel="Signed after the session ended", ylabel="Notes", tools=["hover"],
        xrotation=30, line_color=None, show_legend=False,
    )


def completion_trend_chart(weekly: pd.DataFrame,
                           title: str = "Completion per week (share of ended client events)"
                           ) -> hv.Overlay:
    """Each dot's share and the share complete per week (``completion_by_week`` for the
    practice)."""
    data = weekly.copy()
    data["week_start"] = pd.to_datetime(data["week_start"])
    layers = []
    for column, colour in DOT_COLOURS.items():
        frame = data[["week_start", column, "ended"]].rename(columns={column: "share"})
        frame["share"] = frame["share"] * 100
        label = _DOT_LABELS[column]
        width = 3 if column == "complete_share" else 1.5
        layers.append(hv.Curve(frame, "week_start", ["share", "ended"], label=label).opts(
            color=colour, line_width=width, tools=["hover"]))
    return hv.Overlay(layers).opts(
        width=WIDTH, height=HEIGHT, title=title, ylabel="% of ended client events",
        xlabel="Week", legend_position=LEGEND_BESIDE, ylim=(0, 105), show_grid=True,
        gridstyle={"grid_line_color": GRID}, **_week_margins(data["week_start"]),
    )


def _week_margins(weeks: pd.Series) -> dict[str, object]:
    """The x limits of a weekly trend: its weeks with half a week of room on each side."""
    days = pd.to_datetime(weeks).dropna()
    if days.empty:
        return {}
    return {"xlim": (days.min() - WEEK_MARGIN, days.max() + WEEK_MARGIN)}


def _target(label: str, low: int, high: int) -> str:
    if label == NOT_SIGNED:
        return "not signed"
    b = next(b for b in DELAY_BINS if b.label == label)
    if b.max_hours <= low:
        return f"within {low} h"
    if b.max_hours <= high:
        return f"within {high} h"
    return f"after {high} h"
