"""Why sessions were cancelled in a period: key figures, a chart by reason and notice, a table
by reason, clinician, service, weekday or notice, the cancellations themselves (each opens its
record), and the reasons list the manager keeps.

Everything comes from ``reports.cancellations`` as the record stood at ``context.as_of``.
"""

from __future__ import annotations

import pandas as pd
import panel as pn
import param

from dashboards.cancellation_charts import cancellations_chart
from dashboards.practice.panel_base import Figure, ReportPanel, figures_html, figures_pane, pct
from dashboards.practice.period import PeriodPicker
from dashboards.practice.reasons import ReasonsList
from dashboards.practice.tables import csv_download, report_table, section
from dashboards.shared.messages import OpenEvent
from thera_analytics.domain import palette
from thera_analytics.reports import cancellations as report

BREAKDOWNS = {"By reason": "reason", "By clinician": "clinician", "By service": "service",
              "By weekday": "weekday", "By notice given": "notice"}
ITEM_COLUMNS = ["Event", "Session", "Weekday", "Clinician", "Client", "Service", "What",
                "Reason", "Notice (hours)", "Notice", "Rebooked within 14 days"]


class CancellationsPanel(ReportPanel):
    """Cancelled places of a period by reason and notice, with rebooking within 14 days."""

    items = param.DataFrame(doc="cancellation_items of the period.")
    by = param.Selector(objects=list(BREAKDOWNS), default="By reason")
    request = param.Parameter(default=None, doc="A row clicked: the event to open.")

    def __init__(self, **params: object) -> None:
        self._figures = figures_pane()
        self._by = pn.widgets.RadioButtonGroup(options=list(BREAKDOWNS), value="By reason",
                                               color="light", margin=(4, 5))
        self._table = report_table(pd.DataFrame(), percent=("Share %", "Rebooking rate %"),
                                   name="cancellations-breakdown")
        self._chart = pn.pane.HoloViews(None, margin=(0, 5), linked_axes=False)
        self._items = report_table(pd.DataFrame(columns=ITEM_COLUMNS), page_size=10,
                                   link="Event", name="cancellations")
        self._items.on_click(self._on_row)
        self._table_dl = csv_download(self._breakdown, "cancellations-by-reason.csv")
        self._items_dl = csv_download(lambda: self.items, "cancellations.csv",
                                      "Every cancellation CSV")
        params.setdefault("lazy", False)
        self.picker = PeriodPicker(context=params["context"])
        self.reasons = ReasonsList(context=params["context"])
        super().__init__(**params)
        self._by.link(self, value="by", bidirectional=True)
        self.picker.param.watch(lambda _: self.reload() if self.loaded else None, "period")
        self.reasons.param.watch(lambda _: self.reload() if self.loaded else None, "changed")

    def _breakdown(self) -> pd.DataFrame:
        items = self.items if self.items is not None else pd.DataFrame()
        return report.cancellations_by(items, BREAKDOWNS[self.by]) if len(items) else \
            pd.DataFrame()

    def load(self) -> None:
        ctx, period = self.context, self.picker.period
        self.items = report.cancellation_items(ctx.db, period.start, period.end,
                                               as_of=ctx.as_of)
        stamp = f"{period.start:%Y-%m-%d}-to-{period.end:%Y-%m-%d}"
        self._items_dl.filename = f"cancellations-{stamp}.csv"
        self.reasons.load()
        self._show()

    @param.depends("by", watch=True)
    def _show_breakdown(self) -> None:
        by = BREAKDOWNS[self.by]
        table = self._breakdown()
        self._table.value = report.breakdown_table(table, by) if len(table) else pd.DataFrame()
        period = self.picker.period
        self._table_dl.filename = (f"cancellations-by-{by}-{period.start:%Y-%m-%d}-to-"
                                   f"{period.end:%Y-%m-%d}.csv")

    def _show(self) -> None:
        items = self.items
        n = len(items)
        late = int((items["notice_hours"] < 24).sum()) if n else 0
        with_client = items["rebooked"].dropna() if n else pd.Series(dtype=bool)
        top = report.cancellations_by(items, "reason").iloc[0] if n else None
        self._figures.object = figures_html([
            Figure("Cancelled places", f"{n:,}", "sessions × clients", "cancellations-total"),
            Figure("Under 24 h notice", pct(late / n if n else None),
                   f"{late:,} cancelled late or after the start", "cancellations-late",
                   warn=palette.ATTENDANCE["late_cancellation"] if late else None),
            Figure("Rebooked within 14 days",
                   pct(with_client.mean() if len(with_client) else None),
                   "the client booked again", "cancellations-rebooked"),
            Figure("Most given reason", str(top["reason"]) if top is not None else "–",
                   pct(top["share"]) + " of cancellations" if top is not None else "",
                   "cancellations-top-reason"),
        ])
        self._show_breakdown()
        self._chart.object = cancellations_chart(items) if n else None
        table = report.cancellation_table(items) if n else pd.DataFrame(columns=ITEM_COLUMNS)
        if n:
            table.insert(0, "Event", items["event_id"].iloc[::-1].to_numpy())
        self._items.value = table

    def _on_row(self, event: object) -> None:
        row = getattr(event, "row", None)
        if row is None or row >= len(self._items.value):
            return
        self.request = OpenEvent(int(self._items.value["Event"].iloc[row]))

    def __panel__(self) -> pn.viewable.Viewable:
        return pn.Column(
            self.picker,
            self._figures,
            section("Cancellations", self._by, self._table, self._chart,
                    download=self._table_dl,
                    note="Cancelled places of the period's sessions: a cancelled session "
                         "counts once per client; notice is the time from the cancellation "
                         "to the session's start."),
            section("Every cancellation", self._items, download=self._items_dl,
                    note="Newest session first. Click a row to read the record; the event "
                         "number opens it in the scheduler."),
            self.reasons,
            sizing_mode="stretch_width", css_classes=["thera-cancellations"],
        )
