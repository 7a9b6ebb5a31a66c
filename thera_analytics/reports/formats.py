"""What each report format holds: the one table of a CSV or Parquet file, and the Markdown
summary (the written summary and the summary tables)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import pandas as pd

from thera_analytics.reports import attendance as att
from thera_analytics.reports import attendance_headline as headline
from thera_analytics.reports import backlog as bl
from thera_analytics.reports import cancellations as cn
from thera_analytics.reports import changes as ch
from thera_analytics.reports import completion as cp
from thera_analytics.reports import signing
from thera_analytics.reports.period import Period
from thera_analytics.reports.readable import markdown_table
from thera_analytics.reports.source import Source, practice_zone

OLDEST_ITEMS = 20


@dataclass(frozen=True)
class ReportRequest:
    """Which report, for which period, instant and filters."""

    name: str
    period: Period
    as_of: datetime
    clinician_id: int | None = None
    service_id: int | None = None
    client_id: int | None = None  # the changes report only

    @property
    def start(self) -> date:
        return self.period.start

    @property
    def end(self) -> date:
        return self.period.end

    @property
    def filters(self) -> dict[str, int | None]:
        return {"clinician_id": self.clinician_id, "service_id": self.service_id}


def main_table(db: Source, request: ReportRequest) -> pd.DataFrame:
    """The one table a csv or parquet report holds."""
    name, start, end, as_of, who = _unpack(request)
    if name == "attendance":
        return att.attendance_long(att.attendance_breakdowns(db, start, end, as_of=as_of,
                                                             **who))
    if name == "backlog":
        return bl.backlog_items(db, as_of, **who)
    if name == "cancellations":
        return cn.cancellation_items(db, start, end, as_of=as_of, **who)
    if name == "changes":
        return ch.changes(db, start, end, clinician_id=who["clinician_id"],
                          client_id=request.client_id)
    return cp.completion_by_week(db, start, end, as_of=as_of, **who)


def report_markdown(db: Source, request: ReportRequest) -> str:
    """The written summary and the summary tables, as Markdown."""
    name, start, end, as_of, who = _unpack(request)
    parts: list[str]
    if name == "attendance":
        summary = headline.attendance_summary(db, start, end, as_of=as_of, **who)
        b = att.attendance_breakdowns(db, start, end, as_of=as_of, **who)
        parts = [f"# Attendance report, {summary.period.label}", summary.markdown()]
        for dim, title in (("clinician", "By clinician"), ("service", "By service"),
                           ("kind", "By kind of session"), ("month", "By month"),
                           ("weekday", "By weekday"), ("visit", "First and repeat visits")):
            parts += [f"## {title}", markdown_table(att.rate_table(b[dim], dim))]
        parts += ["## Billable and not billable",
                  markdown_table(att.billing_summary(db, start, end, as_of=as_of, **who)),
                  "## Direct and indirect time (minutes)",
                  markdown_table(att.clinician_time(db, start, end, as_of=as_of, **who).drop(
                      columns=["clinician_id"]))]
    elif name == "backlog":
        summary_b = bl.backlog_summary(db, start, end, as_of=as_of, **who)
        parts = [f"# Unsigned-note backlog, {summary_b.as_of_local}", summary_b.markdown(),
                 "## By clinician and age",
                 markdown_table(bl.backlog_by_clinician(db, as_of, **who).drop(
                     columns=["clinician_id"])),
                 f"## The {OLDEST_ITEMS} oldest",
                 markdown_table(bl.item_table(bl.backlog_items(db, as_of, limit=OLDEST_ITEMS,
                                                               **who))),
                 f"## Time to signature, {Period(start, end).label}",
                 markdown_table(signing.signing_table(
                     signing.signing_times(db, start, end, as_of=as_of, **who))),
                 markdown_table(signing.signing_delay_distribution(db, start, end, as_of=as_of,
                                                                   **who)),
                 "## Signed and still amendable",
                 markdown_table(signing.amendable_table(signing.amendable_notes(db, as_of, **who))),
                 "## Week by week",
                 markdown_table(bl.backlog_trend(db, start, end, as_of=as_of, **who))]
    elif name == "cancellations":
        items = cn.cancellation_items(db, start, end, as_of=as_of, **who)
        parts = [f"# Cancellations, {Period(start, end).label}",
                 f"{len(items):,} cancelled client places, as recorded by "
                 f"{as_of.isoformat(timespec='minutes')}."]
        for by, title in cn.TITLES.items():
            parts += [f"## {title}", markdown_table(cn.breakdown_table(
                cn.cancellations_by(items, by), by))]
    elif name == "changes":
        table = ch.changes(db, start, end, clinician_id=who["clinician_id"],
                           client_id=request.client_id)
        parts = [f"# Changes, {Period(start, end).label}",
                 markdown_table(ch.change_table(table, practice_zone(db)))]
    else:
        weekly = cp.completion_by_week(db, start, end, as_of=as_of, **who)
        parts = [f"# Completion tracking, {Period(start, end).label}",
                 "Shares are of client events that had ended by "
                 f"{as_of.isoformat(timespec='minutes')}.",
                 "## Per clinician per week",
                 markdown_table(weekly.drop(columns=["clinician_id"])),
                 "## Practice per week",
                 markdown_table(cp.completion_by_week(db, start, end, as_of=as_of,
                                                      by="practice", **who))]
    return "\n\n".join(parts) + "\n"


def _unpack(r: ReportRequest) -> tuple[str, date, date, datetime, dict[str, Any]]:
    return r.name, r.start, r.end, r.as_of, dict(r.filters)
