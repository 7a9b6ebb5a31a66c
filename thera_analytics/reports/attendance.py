"""Attendance of direct client sessions: counts and rates per value, billing, clinician time.

The unit is the *client session*: one client's place in one direct session, so a group session
with four clients counts four times (attendance is recorded per client). Rates divide by the
marked client sessions; those not marked yet are counted in ``unmarked`` and left out of rates.
"""

from __future__ import annotations

import calendar
import math
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

import numpy as np
import pandas as pd

from thera_analytics.domain.attendance import Attendance
from thera_analytics.domain.errors import ValidationError
from thera_analytics.domain.kinds import EventGroup, EventKind
from thera_analytics.reports.period import Period
from thera_analytics.reports.source import (
    Source,
    escape_markdown,
    filter_params,
    given,
    run,
)

Dimension = Literal["clinician", "service", "kind", "month", "week", "weekday", "visit", "total"]

DIMENSIONS: tuple[str, ...] = (
    "clinician", "service", "kind", "month", "week", "weekday", "visit", "total",
)
VALUES: tuple[str, ...] = tuple(a.value for a in Attendance)
UNMARKED = "unmarked"
RATE_COLUMNS: tuple[str, ...] = tuple(f"{v}_rate" for v in VALUES)
COUNT_COLUMNS: tuple[str, ...] = ("sessions", *VALUES, UNMARKED, "marked")
BILLING_COLUMNS: tuple[str, ...] = (
    "billable_sessions", "billable_minutes", "not_billable_sessions", "not_billable_minutes",
    "unmarked_minutes",
)

# Columns that identify a group, per breakdown (ids first, then what a reader sees).
_KEYS: dict[str, list[str]] = {
    "clinician": ["clinician_id", "clinician"],
    "service": ["service_id", "service"],
    "kind": ["kind", "kind_label"],
    "month": ["month_key"],
    "week": ["week_start"],
    "weekday": ["weekday"],
    "visit": ["first_visit"],
    "total": [],
}
_KIND_ORDER = {k.value: i for i, k in enumerate(EventKind)}
# What tells the query's groups apart: its dimension, then every breakdown's id column (the
# names beside the ids follow from them).
_GROUP_COLUMNS = ["dimension", "clinician_id", "service_id", "kind", "month_key", "week_start",
                  "weekday", "first_visit"]
_FIGURE_COLUMNS = [*COUNT_COLUMNS, *RATE_COLUMNS, *BILLING_COLUMNS]
# Columns of the per-value matrices: each attendance value, then the unmarked client sessions.
_UNMARKED_COLUMN = len(VALUES)
_BILLABLE = np.array([a.billable for a in Attendance] + [False])
_NOT_BILLABLE = np.array([not a.billable for a in Attendance] + [False])


def attendance_breakdowns(
    db: Source, start: date | str, end: date | str, *,
    clinician_id: int | None = None, service_id: int | None = None,
    as_of: datetime | str | None = None,
) -> dict[str, pd.DataFrame]:
    """Every breakdown of attendance in the period at once (one query), keyed by dimension."""
    period = Period.coerce(start, end)
    rows = run(db, "attendance", [
        period.start, period.end, *filter_params(clinician_id, service_id),
    ], as_of=given(as_of))
    return _breakdowns(rows)


def attendance_by(
    db: Source, by: Dimension | str, start: date | str, end: date | str, *,
    clinician_id: int | None = None, service_id: int | None = None,
    as_of: datetime | str | None = None,
) -> pd.DataFrame:
    """Attendance counts, rates and billing per group of one breakdown, one row per group.

    Every attendance report takes ``as_of``: given, it reads the sessions and marks as they
    stood at that instant (the event history); without it, as they are now.

    ``by`` is clinician, service, kind, month, week, weekday, visit (first or repeat) or total.
    """
    if by not in DIMENSIONS:
        raise ValidationError(
            "by", f"unknown breakdown {by!r} (choose from {', '.join(DIMENSIONS)})"
        )
    return attendance_breakdowns(db, start, end, clinician_id=clinician_id,
                                 service_id=service_id, as_of=as_of)[by]


def attendance_trend(
    db: Source, start: date | str, end: date | str, *, freq: Literal["week", "month"] = "week",
    clinician_id: int | None = None, service_id: int | None = None,
    as_of: datetime | str | None = None,
) -> pd.DataFrame:
    """Attendance per week (Monday) or month of the period, with empty ones as zeros."""
    if freq not in ("week", "month"):
        raise ValidationError("freq", f"{freq!r}: choose week or month")
    period = Period.coerce(start, end)
    table = attendance_by(db, freq, period.start, period.end, clinician_id=clinician_id,
                          service_id=service_id, as_of=as_of)
    if freq == "week":
        key = "week_start"
        wanted = pd.DataFrame({key: pd.to_datetime(period.week_starts())})
        table[key] = pd.to_datetime(table[key])
    else:
        key = "month_key"
        months, day = [], period.start.replace(day=1)
        while day <= period.end:
            months.append(day.year * 100 + day.month)
            day = date(day.year + day.month // 12, day.month % 12 + 1, 1)
        wanted = pd.DataFrame({key: months})
    table = wanted.merge(table, on=key, how="left")
    if freq == "month":
        table["month"] = table[key].map(_month_label)
    counts = [*COUNT_COLUMNS, *BILLING_COLUMNS]
    table[counts] = table[counts].fillna(0).astype("int64")
    return table.reset_index(drop=True)


def billing_summary(
    db: Source, start: date | str, end: date | str, *,
    clinician_id: int | None = None, service_id: int | None = None,
    as_of: datetime | str | None = None,
) -> pd.DataFrame:
    """Billable against not-billable client sessions and minutes (and those not marked)."""
    total = attendance_by(db, "total", start, end, clinician_id=clinician_id,
                          service_id=service_id, as_of=as_of)
    row = total.iloc[0] if len(total) else pd.Series(0, index=[*COUNT_COLUMNS, *BILLING_COLUMNS])
    table = pd.DataFrame({
        "billing": ["Billable", "Not billable", "Not marked"],
        "sessions": [int(row["billable_sessions"]), int(row["not_billable_sessions"]),
                     int(row[UNMARKED])],
        "minutes": [int(row["billable_minutes"]), int(row["not_billable_minutes"]),
                    int(row["unmarked_minutes"])],
    })
    total_sessions = table["sessions"].sum()
    table["share"] = table["sessions"] / total_sessions if total_sessions else float("nan")
    return table


def clinician_time(
    db: Source, start: date | str, end: date | str, *,
    clinician_id: int | None = None, service_id: int | None = None,
    as_of: datetime | str | None = None,
) -> pd.DataFrame:
    """Direct and indirect client time per clinician, with other work and leave, in minutes.

    Clinician time counts each live event once (a group session once, not per client). Other
    work is team meetings, professional development and admin; leave is counted apart.
    """
    period = Period.coerce(start, end)
    rows = run(db, "clinician_time", [
        period.start, period.end, *filter_params(clinician_id, service_id),
    ], as_of=given(as_of))
    cols = ["direct_sessions", "direct_minutes", "indirect_sessions", "indirect_minutes",
            "other_events", "other_minutes", "leave_minutes"]
    if rows.empty:
        return pd.DataFrame(columns=["clinician_id", "clinician", *cols, "direct_share"])
    client = rows["event_group"] == EventGroup.CLIENT.value
    leave = rows["kind"] == EventKind.PERSONAL_LEAVE.value
    direct = client & rows["direct"].fillna(False).astype(bool)
    rows["part"] = "other"
    rows.loc[direct, "part"] = "direct"
    rows.loc[client & ~direct, "part"] = "indirect"
    rows.loc[leave, "part"] = "leave"
    sums = rows.pivot_table(index=["clinician_id", "clinician"], columns="part",
                            values=["events", "minutes"], aggfunc="sum", fill_value=0)
    out = pd.DataFrame(index=sums.index)
    for part, events_col in (("direct", "direct_sessions"), ("indirect", "indirect_sessions"),
                             ("other", "other_events"), ("leave", None)):
        if events_col is not None:
            out[events_col] = _column(sums, "events", part)
        out[f"{part}_minutes"] = _column(sums, "minutes", part)
    out = out[cols].astype("int64").reset_index()
    client_minutes = out["direct_minutes"] + out["indirect_minutes"]
    out["direct_share"] = (out["direct_minutes"] / client_minutes).where(client_minutes > 0)
    return out.sort_values(["clinician", "clinician_id"]).reset_index(drop=True)


def attendance_long(breakdowns: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Every breakdown stacked into one tidy table: ``dimension``, ``group``, then figures."""
    parts = []
    for dim in DIMENSIONS:
        table = breakdowns[dim]
        if table.empty:
            continue
        part = table[[*COUNT_COLUMNS, *RATE_COLUMNS, *BILLING_COLUMNS]].copy()
        part.insert(0, "group", group_labels(table, dim))
        part.insert(0, "dimension", dim)
        parts.append(part)
    if not parts:
        return pd.DataFrame(columns=["dimension", "group", *COUNT_COLUMNS, *RATE_COLUMNS,
                                     *BILLING_COLUMNS])
    return pd.concat(parts, ignore_index=True)


def group_labels(table: pd.DataFrame, dim: str) -> pd.Series:
    """What a reader calls each group of a breakdown (a name, ``2026-10``, ``Monday``...)."""
    labels = {
        "clinician": lambda t: t["clinician"],
        "service": lambda t: t["service"],
        "kind": lambda t: t["kind_label"],
        "month": lambda t: t["month"],
        "week": lambda t: pd.to_datetime(t["week_start"]).dt.strftime("%Y-%m-%d"),
        "weekday": lambda t: t["weekday_name"],
        "visit": lambda t: t["visit"],
        "total": lambda t: pd.Series("All", index=t.index),
    }
    return labels[dim](table).astype(str)


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


def rate_table(table: pd.DataFrame, dim: str) -> pd.DataFrame:
    """A breakdown for reading: its label, counts, and rates in % to one decimal."""
    out = pd.DataFrame({_DIM_TITLES[dim]: group_labels(table, dim).to_numpy()})
    out["Client sessions"] = table["sessions"].to_numpy()
    out["Marked"] = table["marked"].to_numpy()
    for value in VALUES:
        out[f"{Attendance(value).label} %"] = (100 * table[f"{value}_rate"]).round(1).to_numpy()
    out["Billable min"] = table["billable_minutes"].to_numpy()
    out["Not billable min"] = table["not_billable_minutes"].to_numpy()
    return out


def trend_table(trend: pd.DataFrame) -> pd.DataFrame:
    """``attendance_trend`` for reading: no shows and late cancellations per week or month."""
    if "week_start" in trend.columns:
        out = pd.DataFrame({"Week starting": pd.to_datetime(trend["week_start"]).dt.strftime(
            "%Y-%m-%d")})
    else:
        out = pd.DataFrame({"Month": trend["month"]})
    out["Marked"] = trend["marked"]
    out["No show"] = trend["no_show"]
    out["Late cancellation"] = trend["late_cancellation"]
    out["No show %"] = (100 * trend["no_show_rate"]).round(1)
    out["Late cancellation %"] = (100 * trend["late_cancellation_rate"]).round(1)
    return out


_DIM_TITLES = {"clinician": "Clinician", "service": "Service", "kind": "Kind",
               "month": "Month", "week": "Week starting", "weekday": "Weekday",
               "visit": "Visit", "total": "All"}


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


# -- internals ------------------------------------------------------------------------------
def _breakdowns(rows: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Every breakdown's table from the query's (dimension, group, attendance value) rows.

    One vectorised pass over all the rows: each row's sessions and minutes are added into its
    group's column for its value (or unmarked), the figures are worked out once for every group,
    and the groups are then split by dimension, each ordered and labelled for reading.
    """
    group = rows.groupby(_GROUP_COLUMNS, dropna=False, sort=False).ngroup().to_numpy()
    # ngroup numbers groups in order of first appearance, so these are each group's first row.
    firsts = np.unique(group, return_index=True)[1]
    codes = pd.Categorical(rows["attendance"], categories=VALUES).codes  # -1: not marked
    column = np.where(codes < 0, _UNMARKED_COLUMN, codes)
    shape = (len(firsts), len(VALUES) + 1)
    sessions = np.zeros(shape, dtype="int64")
    minutes = np.zeros(shape, dtype="int64")
    np.add.at(sessions, (group, column), rows["sessions"].to_numpy(dtype="int64"))
    np.add.at(minutes, (group, column), rows["minutes"].to_numpy(dtype="int64"))

    groups = rows.iloc[firsts].drop(columns=["attendance", "sessions", "minutes"])
    groups = groups.reset_index(drop=True)
    figures = pd.DataFrame(_figures(sessions, minutes), columns=_FIGURE_COLUMNS)
    groups = pd.concat([groups, figures], axis=1)

    dimension = groups["dimension"].to_numpy()
    out = {}
    for dim in DIMENSIONS:
        keys = _KEYS[dim]
        chosen = dimension == dim
        for key in keys:  # a group with a missing id is not one of the breakdown's rows
            chosen &= groups[key].notna().to_numpy()
        table = groups[[*keys, *_FIGURE_COLUMNS]].take(np.flatnonzero(chosen))
        # Text ids read as text (as a pivot's index would); first visit is a plain bool.
        table = table.reset_index(drop=True).infer_objects()
        if "first_visit" in keys:
            table["first_visit"] = table["first_visit"].astype(bool)
        out[dim] = _label(_order(table, dim), dim) if keys else table
    return out


def _figures(sessions: np.ndarray, minutes: np.ndarray) -> dict[str, np.ndarray]:
    """Counts, rates and billing per group (row) from client sessions and minutes per value."""
    marked = sessions[:, :_UNMARKED_COLUMN].sum(axis=1)
    unmarked = sessions[:, _UNMARKED_COLUMN]
    with np.errstate(invalid="ignore", divide="ignore"):
        rates = np.where(marked[:, None] > 0, sessions[:, :_UNMARKED_COLUMN] / marked[:, None],
                         np.nan)
    return {
        "sessions": marked + unmarked,
        **{v: sessions[:, i] for i, v in enumerate(VALUES)},
        UNMARKED: unmarked,
        "marked": marked,
        **{f"{v}_rate": rates[:, i] for i, v in enumerate(VALUES)},
        "billable_sessions": sessions[:, _BILLABLE].sum(axis=1),
        "billable_minutes": minutes[:, _BILLABLE].sum(axis=1),
        "not_billable_sessions": sessions[:, _NOT_BILLABLE].sum(axis=1),
        "not_billable_minutes": minutes[:, _NOT_BILLABLE].sum(axis=1),
        "unmarked_minutes": minutes[:, _UNMARKED_COLUMN],
    }


def _column(pivot: pd.DataFrame, measure: str, part: str) -> pd.Series:
    if (measure, part) in pivot.columns:
        return pivot[(measure, part)]
    return pd.Series(0, index=pivot.index)


def _order(table: pd.DataFrame, dim: str) -> pd.DataFrame:
    if dim == "clinician":
        table = table.sort_values(["clinician", "clinician_id"])
    elif dim == "service":
        table = table.sort_values(["service", "service_id"])
    elif dim == "kind":
        table = table.sort_values("kind", key=lambda s: s.map(_KIND_ORDER))
    elif dim == "visit":
        table = table.sort_values("first_visit", ascending=False)
    else:
        table = table.sort_values(_KEYS[dim][0])
    return table.reset_index(drop=True)


def _label(table: pd.DataFrame, dim: str) -> pd.DataFrame:
    if dim == "month":
        table.insert(1, "month", table["month_key"].map(_month_label))
    elif dim == "weekday":
        table.insert(1, "weekday_name", table["weekday"].map(lambda d: calendar.day_name[int(d)]))
    elif dim == "visit":
        table.insert(1, "visit", table["first_visit"].map(
            lambda first: "First visit" if first else "Repeat visit"))
    elif dim == "week":
        table["week_start"] = pd.to_datetime(table["week_start"])
    return table


def _month_label(key: object) -> str:
    k = int(key)  # type: ignore[call-overload]
    return f"{k // 100}-{k % 100:02d}"
