"""Attendance breakdowns from the query's rows: each group's counts, rates and billing.

The attendance query returns one row per (breakdown, group, attendance value); this module adds
them up into one table per breakdown, ordered and labelled for reading. The unit is the client
session (see ``reports.attendance``).
"""

from __future__ import annotations

import calendar
from typing import Literal

import numpy as np
import pandas as pd

from thera_analytics.domain.attendance import Attendance
from thera_analytics.domain.kinds import EventKind

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


def breakdowns(rows: pd.DataFrame) -> dict[str, pd.DataFrame]:
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
        table.insert(1, "month", table["month_key"].map(month_label))
    elif dim == "weekday":
        table.insert(1, "weekday_name", table["weekday"].map(lambda d: calendar.day_name[int(d)]))
    elif dim == "visit":
        table.insert(1, "visit", table["first_visit"].map(
            lambda first: "First visit" if first else "Repeat visit"))
    elif dim == "week":
        table["week_start"] = pd.to_datetime(table["week_start"])
    return table



def month_label(key: object) -> str:
    """A month key (``202610``) as a reader writes it (``2026-10``)."""
    k = int(key)  # type: ignore[call-overload]
    return f"{k // 100}-{k % 100:02d}"
