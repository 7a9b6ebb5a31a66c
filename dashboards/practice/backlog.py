"""The unsigned-note backlog: by clinician and age, the oldest items, and time to signature.

As of the instant the page measured (``context.as_of``), either every open note or only the
sessions of the chosen week (then it is the ``note_backlog`` view for that week). Signing times
cover the trend weeks, against the 24 h and 48 h targets. All from ``reports``.
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
from thera_analytics.domain.backlog import BUCKET_LABELS

SCOPES = ("All open notes", "Sessions of the chosen week")
OLDEST = 25
HALF_WIDTH = 620  # two charts side by side within a 1440 px window


def clinician_table(table: pd.DataFrame) -> pd.DataFrame:
    """``backlog_by_clinician`` for reading: counts per age bucket, total, oldest in days."""
    out = pd.DataFrame({"Clinician": table["clinician"].to_numpy()})
    for bucket in BUCKET_LABELS:
        out[bucket] = table[bucket].to_numpy()
    out["Total"] = table["total"].to_numpy()
    out["Oldest (days)"] = (table["oldest_hours"].astype(float) / 24).round(1).to_numpy()
    return out


class BacklogPanel(ReportPanel):
    """Who has notes to finish, how old they are, and how quickly notes get signed."""

    scope = param.Selector(objects=list(SCOPES), default=SCOPES[0])
    by_clinician = param.DataFrame(doc="backlog_by_clinician for the scope.")
    oldest = param.DataFrame(doc="backlog_items for the scope, the oldest first.")
    signing = param.DataFrame(doc="signing_times per clinician over the trend weeks.")
    signing_practice = param.DataFrame(doc="signing_times for the practice, trend weeks.")
    delays = param.DataFrame(doc="signing_delay_distribution over the trend weeks.")
    trend = param.DataFrame(doc="backlog_trend over the trend weeks.")
    request = param.Parameter(default=None, doc="A row clicked: the event to open.")

    def __init__(self, **params: object) -> None:
        self._figures = figures_pane()
        self._scope = pn.widgets.RadioButtonGroup(options=list(SCOPES), value=SCOPES[0],
                                                  color="light", margin=(4, 5))
        self._table = report_table(pd.DataFrame(), name="backlog-by-clinician")
        self._by_chart = pn.pane.HoloViews(None, margin=(0, 5), linked_axes=False)
        self._oldest = report_table(pd.DataFrame(), page_size=10, link="Event",
                                    name="oldest")
        self._oldest.on_click(self._on_row)
        self._signing = report_table(pd.DataFrame(), name="signing", page_size=15)
        self._delay_chart = pn.pane.HoloViews(None, margin=(0, 5), linked_axes=False)
        self._trend_chart = pn.pane.HoloViews(None, margin=(0, 5), linked_axes=False)
        self._by_dl = csv_download(lambda: self.by_clinician, "backlog.csv")
        self._oldest_dl = csv_download(lambda: self.oldest, "backlog-oldest.csv")
        self._signing_dl = csv_download(lambda: self.signing, "signing-times.csv",
                                        "Signing times CSV")
        self._trend_dl = csv_download(lambda: self.trend, "backlog-trend.csv",
                                      "Backlog by week CSV")
        super().__init__(**params)
        self._scope.link(self, value="scope", bidirectional=True)

    @param.depends("scope", watch=True)
    def _on_scope(self) -> None:
        if self.loaded:  # only the backlog itself depends on the scope
            self._load_backlog()
            self._show_backlog()

    def load(self) -> None:
        ctx = self.context
        trend = ctx.trend_period
        self._load_backlog()
        self.signing = reports.signing_times(ctx.db, trend.start, trend.end, as_of=ctx.as_of)
        self.signing_practice = reports.signing_times(ctx.db, trend.start, trend.end,
                                                      as_of=ctx.as_of, by="practice")
        self.delays = reports.signing_delay_distribution(ctx.db, trend.start, trend.end,
                                                         as_of=ctx.as_of)
        self.trend = reports.backlog_trend(ctx.db, trend.start, trend.end, as_of=ctx.as_of)
        span = f"{trend.start:%Y-%m-%d}-to-{trend.end:%Y-%m-%d}"
        self._signing_dl.filename = f"signing-times-{span}.csv"
        self._trend_dl.filename = f"backlog-trend-{span}.csv"
        self._show_backlog()
        self._show_signing()

    def _load_backlog(self) -> None:
        ctx = self.context
        week = ctx.week_period
        bounds = {"start": week.start, "end": week.end} if self.scope == SCOPES[1] else {}
        self.by_clinician = reports.backlog_by_clinician(ctx.db, ctx.as_of, **bounds)
        self.oldest = reports.backlog_items(ctx.db, ctx.as_of, limit=OLDEST, **bounds)
        scope = f"week-{week.start:%Y-%m-%d}" if bounds else "all"
        measured = f"{ctx.as_of:%Y-%m-%dT%H%M}"
        self._by_dl.filename = f"backlog-{scope}-as-of-{measured}.csv"
        self._oldest_dl.filename = f"backlog-oldest-{scope}-as-of-{measured}.csv"

    def _show_backlog(self) -> None:
        table = self.by_clinician
        counts = {b: int(table[b].sum()) if len(table) else 0 for b in BUCKET_LABELS}
        total = sum(counts.values())
        oldest = float(table["oldest_hours"].max()) / 24 if len(table) else None
        practice = self.signing_practice
        within24 = practice["share_within_24h"].iloc[0] if practice is not None and len(
            practice) else None
        within48 = practice["share_within_48h"].iloc[0] if practice is not None and len(
            practice) else None
        late = palette.ATTENDANCE["cancelled"]
        self._figures.object = figures_html([
            Figure("Open notes", f"{total:,}",
                   "every past session not complete" if self.scope == SCOPES[0]
                   else "sessions of the chosen week", "backlog-total",
                   warn=late if counts[">14 d"] else None),
            *[Figure(f"Age {b}", f"{counts[b]:,}", "since the session ended",
                     f"backlog-{b}") for b in BUCKET_LABELS],
            Figure("Oldest", "–" if oldest is None else f"{oldest:.1f} days", "", "backlog-oldest"),
            Figure("Signed within 24 h", pct(within24), f"within 48 h: {pct(within48)}",
                   "signed-within-24h"),
        ])
        self._table.value = clinician_table(table)
        self._by_chart.object = charts.backlog_by_clinician_chart(table).opts(
            width=max(760, min(1180, 70 + 22 * len(table)))) if len(table) else None
        self._oldest.value = reports.item_table(self.oldest) if len(self.oldest) else \
            pd.DataFrame(columns=["Event", "Session (local)", "Clinician", "Kind", "Service",
                                  "Age (days)", "Age bucket", "Missing"])

    def _show_signing(self) -> None:
        self._signing.value = reports.signing_table(self.signing)
        self._delay_chart.object = charts.signing_delay_chart(self.delays).opts(
            width=HALF_WIDTH) if len(self.delays) else None
        self._trend_chart.object = charts.backlog_trend_chart(self.trend).opts(
            width=HALF_WIDTH) if len(self.trend) else None

    def _on_row(self, event: object) -> None:
        row = getattr(event, "row", None)
        if row is None or row >= len(self._oldest.value):
            return
        self.request = OpenEvent(int(self._oldest.value["Event"].iloc[row]))

    def __panel__(self) -> pn.viewable.Viewable:
        return pn.Column(
            self._scope,
            self._figures,
            section("By clinician and age", self._table, self._by_chart, download=self._by_dl,
                    note="Past client events without all three dots, by hours since the "
                         "session ended; most first."),
            section(f"The {OLDEST} oldest", self._oldest, download=self._oldest_dl,
                    note="Click a row to read the record; the event number opens it in the "
                         "scheduler."),
            section("Time from session end to signature", self._signing,
                    pn.Row(self._delay_chart, self._trend_chart, margin=0),
                    download=[self._signing_dl, self._trend_dl],
                    note="Client sessions of the trend weeks that had ended, against the 24 h "
                         "and 48 h targets; right, the backlog at the end of each week."),
            sizing_mode="stretch_width", css_classes=["thera-backlog"],
        )
