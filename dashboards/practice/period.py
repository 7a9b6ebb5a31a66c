"""Choosing what the dashboard looks at: a week for the whole page, a period for attendance."""

from __future__ import annotations

from datetime import date, timedelta
from html import escape

import panel as pn
import param

from dashboards.practice.context import PracticeContext
from thera_analytics.domain.local_time import week_start
from thera_analytics.reports import Period

BAR_CSS = """
.thera-week-title { font: 1.15rem system-ui, sans-serif; color: #1f2328; display: flex;
                    gap: 10px; align-items: baseline; white-space: nowrap; }
.thera-week-no { font-size: 0.85rem; color: #57606a; }
"""


def week_heading(monday: date) -> str:
    """``23 – 29 Nov 2026  Week 48`` as HTML."""
    sunday = monday + timedelta(days=6)
    span = (f"{monday:%-d %b} – {sunday:%-d %b %Y}" if monday.year == sunday.year
            else f"{monday:%-d %b %Y} – {sunday:%-d %b %Y}")
    return (f'<div class="thera-week-title"><b>{escape(span)}</b>'
            f'<span class="thera-week-no">Week {monday.isocalendar().week}</span></div>')


class WeekPicker(pn.viewable.Viewer):
    """Previous / this week / next, a date to jump to, and the week's dates as a heading."""

    context = param.ClassSelector(class_=PracticeContext)

    def __init__(self, **params: object) -> None:
        super().__init__(**params)
        self._prev = pn.widgets.Button(label="‹ Prev", width=75, description="Previous week")
        self._this = pn.widgets.Button(label="This week", width=95, color="primary")
        self._next = pn.widgets.Button(label="Next ›", width=75, description="Next week")
        self._date = pn.widgets.DatePicker(name="Go to the week of", value=self.context.week,
                                           width=140, margin=(0, 10))
        self._heading = pn.pane.HTML(week_heading(self.context.week), margin=(12, 10, 0, 10),
                                     stylesheets=[BAR_CSS], css_classes=["thera-week-heading"])
        self._prev.on_click(lambda _: self.context.shift(-1))
        self._next.on_click(lambda _: self.context.shift(1))
        self._this.on_click(lambda _: self.context.go_to(self.context.today))
        self._date.param.watch(self._on_date, "value")
        self.context.param.watch(self._on_week, "week")

    def _on_date(self, event: param.parameterized.Event) -> None:
        if event.new is not None and week_start(event.new) != self.context.week:
            self.context.go_to(event.new)

    def _on_week(self, event: param.parameterized.Event) -> None:
        self._heading.object = week_heading(event.new)
        if self._date.value is None or week_start(self._date.value) != event.new:
            self._date.value = event.new

    def __panel__(self) -> pn.viewable.Viewable:
        return pn.Row(self._prev, self._this, self._next, self._date, self._heading, margin=0)


PRESETS = ("Last 4 weeks", "Chosen week", "Last month", "This month", "Last 3 months",
           "Last 12 weeks", "This year")


def preset_period(name: str, context: PracticeContext) -> Period:
    """A named period seen from the chosen week (weeks) or from today (months and years)."""
    today = context.today
    first_of_month = today.replace(day=1)
    if name == "Chosen week":
        return context.week_period
    if name == "Last 4 weeks":
        return Period.weeks_ending(context.week, 4)
    if name == "Last 12 weeks":
        return Period.weeks_ending(context.week, 12)
    if name == "This month":
        return Period(first_of_month, today)
    if name == "Last month":
        last = first_of_month - timedelta(days=1)
        return Period.month(last.year, last.month)
    if name == "Last 3 months":
        index = first_of_month.year * 12 + first_of_month.month - 1 - 3
        return Period(date(index // 12, index % 12 + 1, 1), first_of_month - timedelta(days=1))
    if name == "This year":
        return Period(date(today.year, 1, 1), today)
    raise ValueError(f"unknown period {name!r}")


class PeriodPicker(pn.viewable.Viewer):
    """A named period (last month, last 4 weeks...) or any first and last day."""

    context = param.ClassSelector(class_=PracticeContext)
    preset = param.Selector(objects=[*PRESETS, "Custom"], default="Last 4 weeks")
    period = param.ClassSelector(class_=Period, doc="The period chosen.")

    def __init__(self, **params: object) -> None:
        super().__init__(**params)
        self.period = preset_period(self.preset, self.context)
        self._preset = pn.widgets.Select.from_param(self.param.preset, label="Period", width=160)
        self._range = pn.widgets.DateRangePicker(
            label="From – to", value=(self.period.start, self.period.end), width=230)
        self._range.param.watch(self._on_range, "value")
        self.context.param.watch(lambda _: self._on_preset(), ["week", "as_of"])

    @param.depends("preset", watch=True)
    def _on_preset(self) -> None:
        if self.preset == "Custom":
            return
        self.period = preset_period(self.preset, self.context)
        self._range.value = (self.period.start, self.period.end)

    def _on_range(self, event: param.parameterized.Event) -> None:
        if not event.new or None in event.new:
            return
        start, end = event.new
        if (start, end) == (self.period.start, self.period.end):
            return
        self.preset = "Custom"
        self.period = Period(start, end)

    def __panel__(self) -> pn.viewable.Viewable:
        return pn.Row(self._preset, self._range, margin=0)
