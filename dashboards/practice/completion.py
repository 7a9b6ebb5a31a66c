"""Completion tracking: per clinician for the chosen week, the trend, and what is missing.

Shares are of the client events that had *ended* when measured (an event still to come cannot
have its outcome yet); ``Incomplete`` is exactly that week's backlog (the ``note_backlog`` view
for the week). Everything comes from ``reports.completion_by_week`` and ``reports.backlog_items``.
"""

from __future__ import annotations

import pandas as pd
import panel as pn
import param

from dashboards import charts
from dashboards.practice.panel_base import Figure, ReportPanel, figures_html, figures_pane, pct
from dashboards.practice.tables import csv_download, report_table, section
from dashboards.shared.messages import OpenEvent
from thera_analytics import reports
from thera_analytics.domain import palette

SHARE_COLUMNS = ("Details %", "Plan %", "Outcome %", "Complete %")


class CompletionPanel(ReportPanel):
    """The three dots, per clinician for the week and week by week; the missing list."""

    weekly = param.DataFrame(doc="completion_by_week per clinician, the chosen week.")
    trend = param.DataFrame(doc="completion_by_week for the practice, the trend weeks.")
    missing = param.DataFrame(doc="backlog_items of the chosen week, oldest first.")
    request = param.Parameter(default=None, doc="A row clicked: the event to open.")

    def __init__(self, **params: object) -> None:
        self._figures = figures_pane()
        self._table = report_table(pd.DataFrame(), percent=SHARE_COLUMNS, name="completion")
        self._missing = report_table(pd.DataFrame(), page_size=15, link="Event",
                                     name="missing")
        self._missing.on_click(self._on_row)
        self._chart = pn.pane.HoloViews(None, margin=(0, 5), linked_axes=False)
        self._week_dl = csv_download(lambda: self.weekly, "completion.csv")
        self._missing_dl = csv_download(lambda: self.missing, "missing.csv")
        self._trend_dl = csv_download(lambda: self.trend, "completion-trend.csv")
        super().__init__(**params)

    def load(self) -> None:
        ctx = self.context
        week, trend = ctx.week_period, ctx.trend_period
        self.weekly = reports.completion_by_week(ctx.db, week.start, week.end, as_of=ctx.as_of)
        self.trend = reports.completion_by_week(ctx.db, trend.start, trend.end, as_of=ctx.as_of,
                                                by="practice")
        self.missing = reports.backlog_items(ctx.db, ctx.as_of, start=week.start, end=week.end)
        stamp = f"{week.start:%Y-%m-%d}"
        self._week_dl.filename = f"completion-week-{stamp}.csv"
        self._missing_dl.filename = f"missing-week-{stamp}.csv"
        self._trend_dl.filename = f"completion-{trend.start:%Y-%m-%d}-to-{trend.end:%Y-%m-%d}.csv"
        self._show()

    def _show(self) -> None:
        weekly = self.weekly
        ended = int(weekly["ended"].sum()) if len(weekly) else 0
        totals = {k: int(weekly[k].sum()) if len(weekly) else 0
                  for k in ("client_events", "details", "plan", "outcome", "complete",
                            "incomplete")}

        def share(k: str) -> str:
            return pct(totals[k] / ended) if ended else "–"

        self._figures.object = figures_html([
            Figure("Client events this week", f"{totals['client_events']:,}",
                   f"{ended:,} ended so far", "completion-client-events"),
            Figure("Complete", share("complete"), "of ended client events",
                   "completion-complete-share"),
            Figure("Details ✓", share("details"), "dot 1", "completion-details-share"),
            Figure("Plan ✓", share("plan"), "dot 2", "completion-plan-share"),
            Figure("Outcome & signed ✓", share("outcome"), "dot 3",
                   "completion-outcome-share"),
            Figure("Not complete", f"{totals['incomplete']:,}", "ended, something missing",
                   "completion-incomplete",
                   warn=palette.ATTENDANCE["late_cancellation"] if totals["incomplete"] else None),
        ])
        table = reports.completion_table(weekly.sort_values(
            ["complete_share", "clinician"], na_position="last")) if len(weekly) else \
            pd.DataFrame(columns=["Clinician", "Client events", "Ended", *SHARE_COLUMNS,
                                  "Incomplete"])
        self._table.value = table.drop(columns=["Week starting"], errors="ignore")
        self._missing.value = reports.item_table(self.missing) if len(self.missing) else \
            pd.DataFrame(columns=["Event", "Session (local)", "Clinician", "Kind", "Service",
                                  "Age (days)", "Age bucket", "Missing"])
        self._chart.object = charts.completion_trend_chart(self.trend).opts(
            width=980) if len(self.trend) else None

    def _on_row(self, event: object) -> None:
        row = getattr(event, "row", None)
        if row is None or row >= len(self._missing.value):
            return
        self.request = OpenEvent(int(self._missing.value["Event"].iloc[row]))

    def __panel__(self) -> pn.viewable.Viewable:
        return pn.Column(
            self._figures,
            section("Per clinician", self._table, download=self._week_dl,
                    note="Least complete first. Shares are of the client events that had "
                         "ended when measured; Incomplete is the week's unsigned-note backlog."),
            section("What is missing, oldest first", self._missing, download=self._missing_dl,
                    note="Client events of the week that ended without all three dots. Click "
                         "a row to read the record here; the event number opens it in the "
                         "scheduler."),
            section("Week by week", self._chart, download=self._trend_dl,
                    note=f"The whole practice, the {self.context.trend_weeks} weeks up to "
                         "the chosen week."),
            sizing_mode="stretch_width", css_classes=["thera-completion"],
        )
