"""The headline figures of a period's attendance, against the period before it."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import pandas as pd

from thera_analytics.domain.attendance import Attendance
from thera_analytics.reports.attendance import attendance_breakdowns, attendance_by
from thera_analytics.reports.attendance_groups import VALUES
from thera_analytics.reports.period import Period
from thera_analytics.reports.source import Source, escape_markdown


@dataclass(frozen=True)
class Leader:
    """The group with the highest rate of one attendance value."""

    name: str
    count: int
    marked: int

    @property
    def rate(self) -> float:
        return self.count / self.marked if self.marked else math.nan


@dataclass(frozen=True)
class AttendanceSummary:
    """The headline figures of a period's attendance, against the period before it."""

    period: Period
    previous: Period
    sessions: int
    marked: int
    rates: dict[str, float]
    previous_marked: int
    previous_rates: dict[str, float]
    billable_sessions: int
    billable_minutes: int
    not_billable_sessions: int
    top_no_show_clinician: Leader | None
    top_no_show_weekday: Leader | None

    def change(self, value: str) -> float:
        """Change of a value's rate against the previous period, in percentage points."""
        return 100 * (self.rates[value] - self.previous_rates[value])

    def figures(self) -> dict[str, Any]:
        """Plain numbers (rates in % to 0.1) for checking and for machines."""
        def pct(x: float) -> float | None:
            return None if math.isnan(x) else round(100 * x, 1)

        def leader(x: Leader | None) -> dict[str, Any] | None:
            return None if x is None else {"name": x.name, "no_show": x.count,
                                           "marked": x.marked, "rate_pct": pct(x.rate)}

        return {
            "period": f"{self.period.start}..{self.period.end}",
            "previous": f"{self.previous.start}..{self.previous.end}",
            "client_sessions": self.sessions,
            "marked": self.marked,
            "rates_pct": {v: pct(r) for v, r in self.rates.items()},
            "previous_marked": self.previous_marked,
            "previous_rates_pct": {v: pct(r) for v, r in self.previous_rates.items()},
            "billable_sessions": self.billable_sessions,
            "billable_minutes": self.billable_minutes,
            "not_billable_sessions": self.not_billable_sessions,
            "highest_no_show_clinician": leader(self.top_no_show_clinician),
            "highest_no_show_weekday": leader(self.top_no_show_weekday),
        }

    def markdown(self) -> str:
        """A short written summary for a notebook or report."""
        if self.sessions == 0:
            return (f"**Attendance, {self.period.label}:** no direct client sessions in this "
                    "period.")
        lines = [
            f"**Attendance, {self.period.label}:** {self.sessions:,} client sessions, "
            f"{self.marked:,} with attendance marked.",
            "",
        ]
        parts = []
        for value in ("attended", "no_show", "late_cancellation", "cancelled"):
            text = f"{Attendance(value).label.lower()} {_pct(self.rates[value])}"
            if self.previous_marked:
                text += f" ({_points(self.change(value))})"
            parts.append(text)
        against = (f" Changes are against {self.previous.label}."
                   if self.previous_marked else
                   f" {self.previous.label} has no marked sessions to compare with.")
        lines.append("- Rates: " + "; ".join(parts) + "." + against)
        for what, top in (("clinician", self.top_no_show_clinician),
                          ("weekday", self.top_no_show_weekday)):
            if top is not None and top.count:
                lines.append(f"- Highest no-show rate by {what}: **{escape_markdown(top.name)}**, "
                             f"{_pct(top.rate)} ({top.count} of {top.marked}).")
        lines.append(f"- Billable: {self.billable_sessions:,} client sessions "
                     f"({self.billable_minutes:,} minutes); not billable: "
                     f"{self.not_billable_sessions:,}.")
        return "\n".join(lines)


def attendance_summary(
    db: Source, start: date | str, end: date | str, *,
    clinician_id: int | None = None, service_id: int | None = None,
    as_of: datetime | str | None = None,
) -> AttendanceSummary:
    """Headline figures: rates against the previous period, highest no-show clinician and
    weekday, billing."""
    period = Period.coerce(start, end)
    previous = period.previous()
    now = attendance_breakdowns(db, period.start, period.end, clinician_id=clinician_id,
                                service_id=service_id, as_of=as_of)
    before = attendance_by(db, "total", previous.start, previous.end,
                           clinician_id=clinician_id, service_id=service_id, as_of=as_of)
    total = now["total"]

    def rates(table: pd.DataFrame) -> dict[str, float]:
        if table.empty:
            return dict.fromkeys(VALUES, math.nan)
        return {v: float(table.iloc[0][f"{v}_rate"]) for v in VALUES}

    def first(table: pd.DataFrame, column: str) -> int:
        return int(table.iloc[0][column]) if len(table) else 0

    return AttendanceSummary(
        period=period,
        previous=previous,
        sessions=first(total, "sessions"),
        marked=first(total, "marked"),
        rates=rates(total),
        previous_marked=first(before, "marked"),
        previous_rates=rates(before),
        billable_sessions=first(total, "billable_sessions"),
        billable_minutes=first(total, "billable_minutes"),
        not_billable_sessions=first(total, "not_billable_sessions"),
        top_no_show_clinician=_leader(now["clinician"], "clinician"),
        top_no_show_weekday=_leader(now["weekday"], "weekday_name"),
    )


def _leader(table: pd.DataFrame, name_column: str) -> Leader | None:
    rows = table[table["marked"] > 0]
    if rows.empty:
        return None
    best = rows.sort_values(["no_show_rate", "no_show", name_column],
                            ascending=[False, False, True]).iloc[0]
    return Leader(str(best[name_column]), int(best["no_show"]), int(best["marked"]))


def _pct(rate: float) -> str:
    return "n/a" if math.isnan(rate) else f"{100 * rate:.1f}%"


def _points(change: float) -> str:
    if math.isnan(change):
        return "no comparison"
    if round(change, 1) == 0:
        return "unchanged"
    return f"{change:+.1f} points"
