"""The reports in plain pandas: the tables loaded into DataFrames first (timed apart), then
the report's logic as merges and groupbys over the same stored columns the product reads."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import duckdb
import pandas as pd

from benchmarks.baseline_forms import (
    ATTENDANCE_COLUMNS,
    BACKLOG_COLUMNS,
    DIMENSION_KEYS,
)
from thera_analytics.reports.attendance import UNMARKED


@dataclass
class Frames:
    """The tables both reports read, as pandas loaded them from the practice database."""

    events: pd.DataFrame
    event_clients: pd.DataFrame
    plans: pd.DataFrame
    outcomes: pd.DataFrame
    event_kinds: pd.DataFrame
    clinicians: pd.DataFrame
    services: pd.DataFrame
    age_buckets: pd.DataFrame


_LOAD = {
    "events": "SELECT id, kind, clinician_id, service_id, direct, cancelled_at, starts_at,"
              " ends_at, local_date, week_start, month_key, weekday, duration_minutes,"
              " completed_at FROM events",
    "event_clients": "SELECT event_id, client_id, attendance, first_visit FROM event_clients",
    "plans": "SELECT event_id, saved_at FROM plans",
    "outcomes": "SELECT event_id, status, signed_at FROM outcomes",
    "event_kinds": "SELECT kind, label, event_group FROM event_kinds",
    "clinicians": "SELECT id, name FROM clinicians",
    "services": "SELECT id, name FROM services",
    "age_buckets": "SELECT bucket, sort_key, min_hours, max_hours FROM age_buckets"
                   " ORDER BY sort_key",
}


def load_frames(cur: duckdb.DuckDBPyConnection) -> Frames:
    """Read the columns the reports use into pandas, as an analyst would before working."""
    frames = {name: cur.execute(sql).df() for name, sql in _LOAD.items()}
    for name in ("events", "event_clients", "outcomes", "event_kinds"):
        frame = frames[name]
        for column in frame.columns:  # ENUMs arrive as categoricals: plain text is simpler
            if isinstance(frame[column].dtype, pd.CategoricalDtype):
                frame[column] = frame[column].astype(object).where(frame[column].notna(), None)
    return Frames(**frames)


def pandas_attendance(fr: Frames, start: date, end: date) -> pd.DataFrame:
    """Attendance per breakdown and value, by the logic of ``queries/attendance.sql``."""
    ev = fr.events
    client_kinds = fr.event_kinds.loc[fr.event_kinds["event_group"] == "client", "kind"]
    live = ev[ev["kind"].isin(client_kinds) & ev["cancelled_at"].isna()]
    day = live["local_date"]
    period = live[_is(live["direct"], True) & (day >= pd.Timestamp(start))
                  & (day <= pd.Timestamp(end))]
    # Each client's first visit is stored on event_clients, as the product reads it.
    facts = fr.event_clients.merge(period, left_on="event_id", right_on="id")
    facts["first_visit"] = facts["first_visit"].astype(bool)
    facts["attendance"] = facts["attendance"].fillna(UNMARKED)
    parts = []
    for dim, key in DIMENSION_KEYS.items():
        by = ["attendance"] if key is None else [key, "attendance"]
        part = facts.groupby(by, observed=True).agg(
            sessions=("event_id", "size"), minutes=("duration_minutes", "sum")).reset_index()
        part.insert(0, "key", part[key] if key is not None else "")
        part.insert(0, "dimension", dim)
        parts.append(part[ATTENDANCE_COLUMNS])
    out = pd.concat(parts, ignore_index=True)
    out["attendance"] = out["attendance"].replace(UNMARKED, None)
    return out


def pandas_backlog(fr: Frames, as_of: datetime, start: date | None = None,
                   end: date | None = None) -> pd.DataFrame:
    """The backlog as of an instant by clinician and age bucket (``backlog_counts.sql``)."""
    moment = pd.Timestamp(as_of)
    ev = fr.events
    client_kinds = fr.event_kinds.loc[fr.event_kinds["event_group"] == "client", "kind"]
    keep = ev["kind"].isin(client_kinds) & ev["cancelled_at"].isna() & (ev["ends_at"] < moment)
    if start is not None:
        keep &= ev["local_date"] >= pd.Timestamp(start)
    if end is not None:
        keep &= ev["local_date"] <= pd.Timestamp(end)
    # Not complete then: the stored completion instant is missing or later, as the product
    # reads it.
    keep &= ~ev["completed_at"].le(moment)
    s = ev.loc[keep, ["id", "clinician_id", "ends_at"]]
    age = (moment - s["ends_at"]).dt.total_seconds() / 3600.0
    buckets = fr.age_buckets
    edges = [*buckets["min_hours"], float(buckets["max_hours"].iloc[-1])]
    bucket = pd.cut(age, edges, right=False, labels=list(buckets["bucket"]))
    s = s.assign(age_hours=age, age_bucket=bucket)
    out = s.groupby(["clinician_id", "age_bucket"], observed=True).agg(
        notes=("id", "size"), oldest_hours=("age_hours", "max")).reset_index()
    out["age_bucket"] = out["age_bucket"].astype(str)
    out = out.merge(fr.clinicians.rename(columns={"id": "clinician_id", "name": "clinician"}),
                    on="clinician_id")
    return out[BACKLOG_COLUMNS]


def _is(flags: pd.Series, value: bool) -> pd.Series:
    """``flags = value`` as SQL reads it in a WHERE clause: unknown (NULL) is not a match."""
    return flags.eq(value).fillna(False).astype(bool)
