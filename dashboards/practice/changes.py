"""Who changed what and when: the audit log of a period, for one clinician or one client or
everyone, in words, newest first; each row opens its record; downloadable as CSV.

From ``reports.changes``.
"""

from __future__ import annotations

import pandas as pd
import panel as pn
import param

from dashboards.practice.panel_base import ReportPanel
from dashboards.practice.period import PeriodPicker
from dashboards.practice.tables import csv_download, report_table, section
from dashboards.shared.messages import OpenEvent
from thera_analytics.reports.changes import change_table, changes

ALL_CLINICIANS = "All clinicians"
COLUMNS = ["Event", "When", "Who", "Role", "What", "Session", "Clinician", "Clients", "Details"]
PAGE = 20


class ChangesPanel(ReportPanel):
    """The audit log of a period as a reader wants it."""

    table = param.DataFrame(doc="reports.changes of the period and filters.")
    request = param.Parameter(default=None, doc="A row clicked: the event to open.")

    def __init__(self, **params: object) -> None:
        w = pn.widgets
        # 0 stands for everyone: a Select shows no label for a None value it was not built with.
        self.clinician = w.Select(label="Clinician", options={ALL_CLINICIANS: 0}, value=0,
                                  width=200)
        self.client = w.AutocompleteInput(label="Client", placeholder="Any client: type a name",
                                          options=[], case_sensitive=False, search_strategy=
                                          "includes", min_characters=1, restrict=True,
                                          width=230)
        self._clients: dict[str, int] = {}
        self._rows = report_table(pd.DataFrame(columns=COLUMNS), page_size=PAGE, link="Event",
                                  name="changes")
        self._rows.on_click(self._on_row)
        self._summary = pn.pane.HTML("", margin=(0, 5), sizing_mode="stretch_width",
                                     css_classes=["thera-changes-count"])
        self._download = csv_download(lambda: self.table, "changes.csv")
        params.setdefault("lazy", False)
        self.picker = PeriodPicker(context=params["context"], preset="Chosen week")
        super().__init__(**params)
        self.picker.param.watch(lambda _: self.reload() if self.loaded else None, "period")
        for widget in (self.clinician, self.client):
            widget.param.watch(lambda _: self.reload() if self.loaded else None, "value")

    def _people(self) -> None:
        db = self.context.db
        clinicians = db.df("SELECT id, name FROM clinicians ORDER BY name, id")
        self.clinician.options = {ALL_CLINICIANS: 0, **dict(zip(
            clinicians["name"], clinicians["id"].astype(int), strict=True))}
        clients = db.df("SELECT id, name FROM clients ORDER BY name, id")
        doubled = clients["name"].duplicated(keep=False)
        labels = [f"{n} (#{i})" if d else n for n, i, d in zip(
            clients["name"], clients["id"], doubled, strict=True)]
        self._clients = dict(zip(labels, clients["id"].astype(int), strict=True))
        self.client.options = labels

    def load(self) -> None:
        if not self._clients:
            self._people()
        period = self.picker.period
        client = self._clients.get(self.client.value or "")
        self.table = changes(self.context.db, period.start, period.end,
                             clinician_id=self.clinician.value or None, client_id=client)
        stamp = f"{period.start:%Y-%m-%d}-to-{period.end:%Y-%m-%d}"
        self._download.filename = f"changes-{stamp}.csv"
        shown = change_table(self.table, self.context.zone)
        ids = self.table["event_id"]
        shown.insert(0, "Event", ids.astype(object).where(ids.notna(), None))
        self._rows.value = shown
        n = len(self.table)
        self._summary.object = (f'<p class="thera-section-note">{n:,} change'
                                f'{"" if n == 1 else "s"} in {period.label}</p>')

    def _on_row(self, event: object) -> None:
        row = getattr(event, "row", None)
        if row is None or row >= len(self._rows.value):
            return
        value = self._rows.value["Event"].iloc[row]
        if not pd.isna(value):
            self.request = OpenEvent(int(value))

    def __panel__(self) -> pn.viewable.Viewable:
        return pn.Column(
            pn.Row(self.picker, self.clinician, self.client, margin=0),
            section("Changes", self._summary, self._rows, download=self._download,
                    note="Who changed what and when, from the audit log, newest first. "
                         "Click a row to read the record; the event number opens it in the "
                         "scheduler."),
            sizing_mode="stretch_width", css_classes=["thera-changes"],
        )
