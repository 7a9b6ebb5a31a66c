"""The long form every baseline returns, and one canonical form to compare them with ours.

Attendance: one row per (dimension, group, attendance value) with ``sessions`` and ``minutes``;
the backlog: one row per (clinician, age bucket) with ``notes`` and ``oldest_hours``.
``canonical_*`` turn these, and our own report functions' results, into one comparable form;
``differences`` names the first gap between two of them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from thera_analytics.domain.attendance import Attendance
from thera_analytics.domain.backlog import BUCKET_LABELS
from thera_analytics.reports.attendance import UNMARKED, VALUES

# The attendance report's breakdowns: dimension -> the column that identifies a group.
DIMENSION_KEYS: dict[str, str | None] = {
    "clinician": "clinician_id",
    "service": "service_id",
    "kind": "kind",
    "month": "month_key",
    "week": "week_start",
    "weekday": "weekday",
    "visit": "first_visit",
    "total": None,
}
BILLABLE = {a.value for a in Attendance if a.billable}
ATTENDANCE_COLUMNS = ["dimension", "key", "attendance", "sessions", "minutes"]
BACKLOG_COLUMNS = ["clinician_id", "clinician", "age_bucket", "notes", "oldest_hours"]


def _key_text(dim: str, value: object) -> str:
    if dim == "total":
        return ""
    if dim == "week":
        return pd.Timestamp(value).strftime("%Y-%m-%d")  # type: ignore[arg-type]
    if dim == "visit":
        return str(bool(value))
    if isinstance(value, float | np.floating):
        return str(int(value))
    return str(value)


def canonical_attendance(long: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Sessions per (dimension, group, value) and minutes per (dimension, group, billing),
    sorted, from long rows (``ATTENDANCE_COLUMNS``)."""
    rows = long.copy()
    rows["key"] = [_key_text(d, k) for d, k in zip(rows["dimension"], rows["key"], strict=True)]
    rows["attendance"] = rows["attendance"].astype(object).where(rows["attendance"].notna(),
                                                                  UNMARKED).astype(str)
    rows["billing"] = np.where(rows["attendance"] == UNMARKED, "unmarked", np.where(
        rows["attendance"].isin(BILLABLE), "billable", "not_billable"))
    counts = rows.groupby(["dimension", "key", "attendance"], as_index=False)["sessions"].sum()
    minutes = rows.groupby(["dimension", "key", "billing"], as_index=False)["minutes"].sum()
    return _sorted(counts, "sessions"), _sorted(minutes, "minutes")


def report_attendance_long(breakdowns: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Our ``attendance_breakdowns`` result back in long form (counts per value; minutes per
    billing class, put on one value of that class so the canonical sums come out the same)."""
    billable_value = next(v for v in VALUES if v in BILLABLE)
    not_billable_value = next(v for v in VALUES if v not in BILLABLE)
    minutes_on = {billable_value: "billable_minutes", not_billable_value: "not_billable_minutes",
                  UNMARKED: "unmarked_minutes"}
    parts = []
    for dim, key in DIMENSION_KEYS.items():
        table = breakdowns[dim]
        for value in (*VALUES, UNMARKED):
            minutes = table[minutes_on[value]] if value in minutes_on else 0
            parts.append(pd.DataFrame({
                "dimension": dim,
                "key": table[key].to_numpy() if key is not None else "",
                "attendance": None if value == UNMARKED else value,
                "sessions": table[value].to_numpy(),
                "minutes": np.asarray(minutes) if value in minutes_on else 0,
            }))
    long = pd.concat(parts, ignore_index=True)
    return long[(long["sessions"] > 0) | (long["minutes"] > 0)]


def canonical_backlog(long: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Notes per (clinician, age bucket), and the oldest age per clinician (to the µs-hour)."""
    rows = long.copy()
    rows["clinician_id"] = rows["clinician_id"].astype("int64")
    rows["age_bucket"] = rows["age_bucket"].astype(str)
    counts = rows.groupby(["clinician_id", "age_bucket"], as_index=False)["notes"].sum()
    oldest = rows.groupby("clinician_id", as_index=False)["oldest_hours"].max()
    oldest["oldest_hours"] = oldest["oldest_hours"].astype(float).round(6)
    return _sorted(counts, "notes"), _sorted(oldest, "oldest_hours")


def report_backlog_long(table: pd.DataFrame) -> pd.DataFrame:
    """Our ``backlog_by_clinician`` result back in long form."""
    long = table.melt(id_vars=["clinician_id", "clinician", "oldest_hours"],
                      value_vars=list(BUCKET_LABELS), var_name="age_bucket", value_name="notes")
    return long[long["notes"] > 0][BACKLOG_COLUMNS]


def _sorted(frame: pd.DataFrame, measure: str) -> pd.DataFrame:
    frame = frame[frame[measure] != 0] if measure != "oldest_hours" else frame
    keys = [c for c in frame.columns if c != measure]
    frame = frame.astype({measure: "float64" if measure == "oldest_hours" else "int64"})
    return frame.sort_values(keys).reset_index(drop=True)


def differences(ours: tuple[pd.DataFrame, pd.DataFrame],
                theirs: tuple[pd.DataFrame, pd.DataFrame]) -> str | None:
    """None when two canonical results agree, else a short description of the first gap."""
    for mine, other in zip(ours, theirs, strict=True):
        if mine.shape != other.shape:
            return f"{mine.shape[0]} rows against {other.shape[0]}"
        if mine.empty:  # both empty (a month whose notes are all signed): nothing to merge
            continue
        merged = mine.merge(other, how="outer", indicator=True)
        gap = merged[merged["_merge"] != "both"]
        if len(gap):
            return f"{len(gap)} differing rows, e.g. {gap.head(3).to_dict('records')}"
    return None
