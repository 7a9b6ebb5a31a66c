"""Attendance for a period: rates per value by clinician and service, billing, and the trend.

The unit is the client session (one client's place in one direct session); rates divide by the
marked ones. Everything comes from ``reports.attendance_breakdowns``, ``billing_summary`` and
``attendance_trend``.
"""

from __future__ import annotations

import pandas as pd
import panel as pn
import param

from dashboards import charts
from dashboards.practice.panel_base import Figure, ReportPanel, figures_html, figures_pane, pct
from dashboards.practice.period import PeriodPicker
from dashboards.practice.tables import csv_download, report_table, section
from thera_analytics import reports
from thera_analytics.domain import palette
from thera_analytics.domain.attendance import Attendance

RATE_COLUMNS = tuple(f"{a.label} %" for a in Attendance)
MONTHLY_AFTER_DAYS = 190  # a longer period trends by month, a shorter one by week


class AttendancePanel(ReportPanel):
    """How sessions went in a period: attended, cancelled, late, no show, non-billable."""

    breakdowns = param.Dict(doc="attendance_breakdowns of the period (clinician, service...).")
    billing = param.DataFrame(doc="billing_summary of the period.")
    trend = param.DataFrame(doc="attendance_trend over the period.")

    def __init__(self, **params: object) -> None:
        self._figures = figures_pane()
        self._clinicians = report_table(pd.DataFrame(), percent=RATE_COLUMNS[:1],
                                        name="attendance-by-clinician")
        self._services = report_table(pd.DataFrame(), percent=RATE_COLUMNS[:1],
                                      name="attendance-by-service")
        self._billing = report_table(pd.DataFrame(), name="billing", sizing_mode="fixed",
                                     width=420)
        self._trend_chart = pn.pane.HoloViews(None, margin=(0, 5), linked_axes=False)
        self._mix_chart = pn.pane.HoloViews(None, margin=(0, 5), linked_axes=False)
        self._clinician_dl = csv_download(lambda: self._breakdown("clinician"),
                                          "attendance-by-clinician.csv")
        self._service_dl = csv_download(lambda: self._breakdown("service"),
                                        "attendance-by-service.csv")
        self._billing_dl = csv_download(lambda: self.billing, "billing.csv")
        self._trend_dl = csv_download(lambda: self.trend, "attendance-trend.csv")
        params.setdefault("lazy", False)
        context = params["context"]
        self.picker = PeriodPicker(context=context)
        super().__init__(**params)
        self.picker.param.watch(lambda _: self.reload() if self.loaded else None, "period")

    def _breakdown(self, by: str) -> pd.DataFrame:
        return (self.breakdowns or {}).get(by, pd.DataFrame())

    def load(self) -> None:
        db, period = self.context.db, self.picker.period
        as_of = self.context.as_of  # the page's instant: a past one reads the history
        self.breakdowns = reports.attendance_breakdowns(db, period.start, period.end,
                                                        as_of=as_of)
        self.billing = reports.billing_summary(db, period.start, period.end, as_of=as_of)
        freq = "month" if period.days > MONTHLY_AFTER_DAYS else "week"
        self.trend = reports.attendance_trend(db, period.start, period.end, freq=freq,
                                              as_of=as_of)
        stamp = f"{period.start:%Y-%m-%d}-to-{period.end:%Y-%m-%d}"
        for button, name in ((self._clinician_dl, "attendance-by-clinician"),
                             (self._service_dl, "attendance-by-service"),
                             (self._billing_dl, "billing"), (self._trend_dl, "attendance-trend")):
            button.filename = f"{name}-{stamp}.csv"
        self._show()

    def _show(self) -> None:
        total = self._breakdown("total")
        row = total.iloc[0] if len(total) else None

        def rate(value: str) -> str:
            return pct(row[f"{value}_rate"]) if row is not None else "–"

        marked = int(row["marked"]) if row is not None else 0
        unmarked = int(row["unmarked"]) if row is not None else 0
        billing = self.billing
        billable = billing.loc[billing["billing"] == "Billable", "share"]
        self._figures.object = figures_html([
            Figure("Client sessions", f"{marked + unmarked:,}", f"{unmarked:,} not marked yet",
                   "attendance-sessions"),
            Figure("Attended", rate("attended"), "of marked sessions", "attendance-attended"),
            Figure("Cancelled", rate("cancelled"), "", "attendance-cancelled"),
            Figure("Late cancellation", rate("late_cancellation"), "", "attendance-late"),
            Figure("No show", rate("no_show"), "", "attendance-no-show",
                   warn=palette.ATTENDANCE["no_show"]),
            Figure("Billable", pct(billable.iloc[0]) if len(billable) else "–",
                   "of all client sessions", "attendance-billable"),
        ])
        for table, by in ((self._clinicians, "clinician"), (self._services, "service")):
            frame = self._breakdown(by)
            table.value = reports.rate_table(frame, by) if len(frame) else pd.DataFrame()
        shown = billing.copy()
        shown["share"] = (100 * shown["share"].astype(float)).round(1)
        self._billing.value = shown.rename(columns={
            "billing": "Billing", "sessions": "Client sessions", "minutes": "Minutes",
            "share": "Share %"})
        self._trend_chart.object = charts.attendance_trend_chart(self.trend).opts(
            width=700) if len(self.trend) else None
        clinicians = self._breakdown("clinician")
        self._mix_chart.object = charts.attendance_mix_chart(
            clinicians, "clinician", "clinician", "Attendance mix by clinician").opts(
            width=max(760, min(1180, 70 + 22 * len(clinicians)))) if len(clinicians) else None

    def __panel__(self) -> pn.viewable.Viewable:
        return pn.Column(
            self.picker,
            self._figures,
            section("By clinician", self._clinicians, self._mix_chart,
                    download=self._clinician_dl,
                    note="Client sessions of the period (one per client of a direct "
                         "session); rates are of the marked ones."),
            section("By service", self._services, download=self._service_dl),
            pn.Row(
                section("Billable and not billable", self._billing, download=self._billing_dl,
                        note="Attended, late cancellation and no show are billable."),
                section("No shows and late cancellations", self._trend_chart,
                        download=self._trend_dl),
                sizing_mode="stretch_width", margin=0),
            sizing_mode="stretch_width", css_classes=["thera-attendance"],
        )
