"""Attendance of direct client sessions: counts and rates per value, billing, clinician time.

The unit is the *client session*: one client's place in one direct session, so a group session
with four clients counts four times (attendance is recorded per client). Rates divide by the
marked client sessions; those not marked yet are counted in ``unmarked`` and left out of rates.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

import pandas as pd

from thera_analytics.domain.attendance import Attendance
from thera_analytics.domain.errors import ValidationError
from thera_analytics.domain.kinds import EventGroup, EventKind
from thera_analytics.reports.attendance_groups import (
    BILLING_COLUMNS,
    COUNT_COLUMNS,
    DIMENSIONS,
    RATE_COLUMNS,
    UNMARKED,
    VALUES,
    Dimension,
    breakdowns,
    month_label,
)
from thera_analytics.reports.period import Period
from thera_analytics.reports.source import (
    Source,
    filter_params,
    given,
    run,
)

# The breakdowns' names and columns are read from here by the other reports and the apps.
__all__ = [
    "BILLING_COLUMNS", "COUNT_COLUMNS", "DIMENSIONS", "RATE_COLUMNS", "UNMARKED", "VALUES",
    "Dimension",
]


def attendance_breakdowns(
    db: Source, start: date | str, end: date | str, *,
    clinician_id: int | None = None, service_id: int | None = None,
    as_of: datetime | str | None = None,
) -> dict[str, pd.DataFrame]:
    """Every breakdown of attendance in the period at once (one query), keyed by dimension."""
    period = Period.coerce(start, end)
    rows = run(db, "attendance", [
        period.start, period.end, *filter_params(clinician_id, service_id),
    ], as_of=given(as_of), days=(period.start, period.end))
    return breakdowns(rows)


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
        table["month"] = table[key].map(month_label)
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



def _column(pivot: pd.DataFrame, measure: str, part: str) -> pd.Series:
    if (measure, part) in pivot.columns:
        return pivot[(measure, part)]
    return pd.Series(0, index=pivot.index)

