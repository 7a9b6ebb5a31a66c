"""Why sessions were cancelled: by reason, clinician, service, weekday and notice given, with
the share of clients who booked again within 14 days.

The unit is a *cancelled place*: one client's place in one session. A cancelled group session
counts once per client; a client marked Cancelled, Late cancellation or No show counts for that
client. Figures read the append-only ``cancellations`` record as it stood at ``as_of``.
"""

from __future__ import annotations

import calendar
from datetime import date, datetime
from typing import Literal

import pandas as pd

from thera_analytics.domain.cancellation import NOTICE_BUCKETS, CancellationKind, notice_bucket
from thera_analytics.domain.errors import ValidationError
from thera_analytics.reports.period import Period
from thera_analytics.reports.source import Source, filter_params, instant, run

Dimension = Literal["reason", "clinician", "service", "weekday", "notice", "kind", "total"]
DIMENSIONS: tuple[str, ...] = ("reason", "clinician", "service", "weekday", "notice", "kind",
                               "total")
REBOOK_DAYS = 14
_KEYS = {"reason": "reason", "clinician": "clinician", "service": "service",
         "weekday": "weekday_name", "notice": "notice", "kind": "kind_label"}
_COLUMNS = ["cancellations", "share", "rebooked", "rebooking_rate", "median_notice_hours"]
_WEEKDAYS = list(calendar.day_name)  # Monday first, as the stored weekday (0 = Monday)
_NOTICE_ORDER = [label for label, _ in NOTICE_BUCKETS]


def cancellation_items(
    db: Source, start: date | str, end: date | str, *, as_of: datetime | str | None = None,
    clinician_id: int | None = None, service_id: int | None = None,
) -> pd.DataFrame:
    """One row per cancelled place of a session in the period, as it stood at ``as_of``:
    reason, who, the session, ``notice_hours`` (start minus cancellation) and its bucket,
    and ``rebooked`` (the client booked again within 14 days)."""
    period = Period.coerce(start, end)
    moment = instant(as_of)
    rows = run(db, "cancellations", [moment, moment, moment, period.start, period.end,
                                     *filter_params(clinician_id, service_id)])
    rows["notice_hours"] = rows["notice_minutes"].astype("float64") / 60
    rows["notice"] = [notice_bucket(h) for h in rows["notice_hours"]]
    rows["weekday_name"] = [_WEEKDAYS[int(d)] for d in rows["weekday"]]
    rows["kind_label"] = [CancellationKind(k).label for k in rows["kind"]]
    rows["rebooked"] = rows["rebooked"].astype("boolean")
    return rows.drop(columns=["notice_minutes"])


def cancellations_by(items: pd.DataFrame, by: Dimension | str) -> pd.DataFrame:
    """``cancellation_items`` grouped by one dimension: count, share of all, rebooked and the
    rebooking rate (of cancelled places with a client), median notice in hours."""
    if by not in DIMENSIONS:
        raise ValidationError("by", f"{by!r}: choose one of {', '.join(DIMENSIONS)}")
    key = _KEYS.get(by)
    frame = items.assign(total="All cancellations")
    column = key or "total"
    if frame.empty:
        return pd.DataFrame(columns=[by, *_COLUMNS])
    grouped = frame.groupby(column, sort=False, dropna=False)
    table = pd.DataFrame({
        "cancellations": grouped.size(),
        "rebooked": grouped["rebooked"].sum().astype("int64"),
        "with_client": grouped["rebooked"].count(),
        "median_notice_hours": grouped["notice_hours"].median(),
    }).reset_index().rename(columns={column: by})
    table["share"] = table["cancellations"] / len(frame)
    table["rebooking_rate"] = table["rebooked"] / table["with_client"].where(
        table["with_client"] > 0)
    table = table.drop(columns=["with_client"])[[by, *_COLUMNS]]
    return _ordered(table, by).reset_index(drop=True)


def _ordered(table: pd.DataFrame, by: str) -> pd.DataFrame:
    if by == "weekday":
        return table.sort_values(by, key=lambda s: s.map(_WEEKDAYS.index))
    if by == "notice":
        return table.sort_values(by, key=lambda s: s.map(_NOTICE_ORDER.index))
    return table.sort_values(["cancellations", by], ascending=[False, True])


def cancellation_breakdowns(items: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Every breakdown of the same items at once, keyed by dimension."""
    return {by: cancellations_by(items, by) for by in DIMENSIONS}


def cancellation_table(items: pd.DataFrame) -> pd.DataFrame:
    """The items for reading: one row per cancelled place, newest session first."""
    out = pd.DataFrame(index=items.index)
    out["Session"] = pd.to_datetime(items["local_date"]).dt.strftime("%Y-%m-%d")
    out["Weekday"] = items["weekday_name"]
    out["Clinician"] = items["clinician"]
    out["Client"] = items["client"].fillna("—")
    out["Service"] = items["service"].fillna("—")
    out["What"] = items["kind_label"]
    out["Reason"] = [f"{r}: {t}" if t else r for r, t in zip(items["reason"],
                                                              items["reason_text"], strict=True)]
    out["Notice (hours)"] = items["notice_hours"].round(1)
    out["Notice"] = items["notice"]
    out["Rebooked within 14 days"] = items["rebooked"].map(
        {True: "yes", False: "no"}).fillna("—")
    return out.iloc[::-1].reset_index(drop=True)


TITLES = {"reason": "By reason", "clinician": "By clinician", "service": "By service",
          "weekday": "By weekday", "notice": "By notice given", "kind": "By what was marked"}


def breakdown_table(table: pd.DataFrame, by: str) -> pd.DataFrame:
    """``cancellations_by`` for reading: headings in words, shares in %."""
    heading = {"reason": "Reason", "clinician": "Clinician", "service": "Service",
               "weekday": "Weekday", "notice": "Notice given", "kind": "What",
               "total": "Total"}[by]
    out = pd.DataFrame({heading: table[by].fillna("—")})
    out["Cancellations"] = table["cancellations"].astype("int64")
    out["Share %"] = (table["share"] * 100).round(1)
    out["Rebooked within 14 days"] = table["rebooked"].astype("int64")
    out["Rebooking rate %"] = (table["rebooking_rate"].astype("float64") * 100).round(1)
    out["Median notice (hours)"] = table["median_notice_hours"].astype("float64").round(1)
    return out.reset_index(drop=True)
