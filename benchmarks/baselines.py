"""The attendance and backlog reports computed three other ways, to set our figures against.

- **pandas**: the tables loaded into DataFrames first (timed apart), then the report's logic in
  plain pandas (merge, groupby).
- **SQLite**: the same rows copied into a SQLite file (instants as epoch seconds, dates as ISO
  text, booleans as 0/1, the indexes a user would add), then the report's SQL as far as SQLite
  allows (no GROUPING SETS: one GROUP BY per breakdown, joined by UNION ALL).
- Both read the same stored columns the product reads (``event_clients.first_visit``,
  ``events.completed_at``): same data, same logic.
- **floor**: the cheapest DuckDB aggregate giving the same groups, over a table pre-joined once
  (timed apart, stored in the benchmark's database like the practice's tables) with integer keys
  and the first-visit and completeness flags already worked out.

Each returns the report's grouped figures, long: attendance as one row per (dimension, group,
attendance value) with ``sessions`` and ``minutes``; the backlog as one row per (clinician, age
bucket) with ``notes`` and ``oldest_hours``. ``canonical_*`` turn these, and our own report
functions' results, into one comparable form, so the benchmark can assert they agree.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import duckdb
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


# -- loading -------------------------------------------------------------------------------------
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


# -- pandas ----------------------------------------------------------------------------------------
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


# -- SQLite ----------------------------------------------------------------------------------------
_SQLITE_SCHEMA = """
CREATE TABLE events (
    id INTEGER PRIMARY KEY, kind TEXT NOT NULL, clinician_id INTEGER NOT NULL,
    service_id INTEGER, direct INTEGER, cancelled_at INTEGER, starts_at INTEGER NOT NULL,
    ends_at INTEGER NOT NULL, local_date TEXT NOT NULL, week_start TEXT NOT NULL,
    month_key INTEGER NOT NULL, weekday INTEGER NOT NULL, duration_minutes INTEGER NOT NULL,
    completed_at INTEGER);
CREATE TABLE event_clients (
    event_id INTEGER NOT NULL, client_id INTEGER NOT NULL, attendance TEXT,
    first_visit INTEGER NOT NULL, PRIMARY KEY (event_id, client_id)) WITHOUT ROWID;
CREATE TABLE plans (event_id INTEGER PRIMARY KEY, saved_at INTEGER NOT NULL);
CREATE TABLE outcomes (event_id INTEGER PRIMARY KEY, status TEXT, signed_at INTEGER);
CREATE TABLE event_kinds (kind TEXT PRIMARY KEY, label TEXT, event_group TEXT);
CREATE TABLE clinicians (id INTEGER PRIMARY KEY, name TEXT);
CREATE TABLE services (id INTEGER PRIMARY KEY, name TEXT);
CREATE TABLE age_buckets (bucket TEXT, sort_key INTEGER, min_hours REAL, max_hours REAL);
"""
# What a user would add for these reports: periods by local day, sessions by client, the
# backlog by end time.
SQLITE_INDEXES = (
    "CREATE INDEX events_local_date ON events (local_date)",
    "CREATE INDEX events_ends_at ON events (ends_at)",
    "CREATE INDEX event_clients_client ON event_clients (client_id)",
)
_SQLITE_COPY = {
    "events": "SELECT id, CAST(kind AS VARCHAR), clinician_id, service_id,"
              " CAST(direct AS INTEGER), CAST(epoch(cancelled_at) AS BIGINT),"
              " CAST(epoch(starts_at) AS BIGINT), CAST(epoch(ends_at) AS BIGINT),"
              " CAST(local_date AS VARCHAR), CAST(week_start AS VARCHAR), month_key, weekday,"
              " duration_minutes, CAST(epoch(completed_at) AS BIGINT) FROM events ORDER BY id",
    "event_clients": "SELECT event_id, client_id, CAST(attendance AS VARCHAR),"
                     " CAST(first_visit AS INTEGER) FROM event_clients"
                     " ORDER BY event_id, client_id",
    "plans": "SELECT event_id, CAST(epoch(saved_at) AS BIGINT) FROM plans ORDER BY event_id",
    "outcomes": "SELECT event_id, CAST(status AS VARCHAR), CAST(epoch(signed_at) AS BIGINT)"
                " FROM outcomes ORDER BY event_id",
    "event_kinds": "SELECT CAST(kind AS VARCHAR), label, CAST(event_group AS VARCHAR)"
                   " FROM event_kinds",
    "clinicians": "SELECT id, name FROM clinicians",
    "services": "SELECT id, name FROM services",
    "age_buckets": "SELECT bucket, sort_key, min_hours, max_hours FROM age_buckets",
}


def copy_to_sqlite(cur: duckdb.DuckDBPyConnection, path: Path) -> sqlite3.Connection:
    """Copy the report tables into a new SQLite file (without indexes; see ``index_sqlite``)."""
    con = sqlite3.connect(path)
    con.executescript("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;" + _SQLITE_SCHEMA)
    for table, sql in _SQLITE_COPY.items():
        result = cur.execute(sql)
        width = len(result.description or [])
        insert = f"INSERT INTO {table} VALUES ({', '.join('?' * width)})"
        while rows := result.fetchmany(100_000):
            con.executemany(insert, rows)
    con.commit()
    return con


def index_sqlite(con: sqlite3.Connection) -> None:
    """Add the indexes and statistics a user would, for these reports."""
    for sql in SQLITE_INDEXES:
        con.execute(sql)
    con.execute("ANALYZE")
    con.commit()


_SQLITE_ATTENDANCE_FACTS = """
WITH facts AS MATERIALIZED (
    SELECT ec.client_id, ec.event_id, ec.attendance, ec.first_visit, e.clinician_id,
           e.service_id, e.kind, e.month_key, e.week_start, e.weekday, e.duration_minutes
    FROM event_clients ec
    JOIN events e ON e.id = ec.event_id
    JOIN event_kinds k ON k.kind = e.kind
    WHERE k.event_group = 'client' AND e.cancelled_at IS NULL AND e.direct = 1
      AND e.local_date BETWEEN ? AND ?
)
"""


def sqlite_attendance(con: sqlite3.Connection, start: date, end: date) -> pd.DataFrame:
    """``attendance.sql`` in SQLite: GROUPING SETS written as one GROUP BY per breakdown."""
    parts = []
    for dim, key in DIMENSION_KEYS.items():
        column = "''" if key is None else f"f.{key}"
        group = "f.attendance" if key is None else f"f.{key}, f.attendance"
        parts.append(f"SELECT '{dim}' AS dimension, {column} AS key, f.attendance,"
                     f" COUNT(*) AS sessions, SUM(f.duration_minutes) AS minutes"
                     f" FROM facts f GROUP BY {group}")
    sql = _SQLITE_ATTENDANCE_FACTS + (
        "SELECT g.*, c.name AS clinician, sv.name AS service, k.label AS kind_label FROM ("
        + "\nUNION ALL\n".join(parts) + ") g"
        " LEFT JOIN clinicians c ON g.dimension = 'clinician' AND c.id = g.key"
        " LEFT JOIN services sv ON g.dimension = 'service' AND sv.id = g.key"
        " LEFT JOIN event_kinds k ON g.dimension = 'kind' AND k.kind = g.key")
    frame = pd.read_sql_query(sql, con, params=[start.isoformat(), end.isoformat()])
    return frame[ATTENDANCE_COLUMNS]


_SQLITE_BACKLOG = """
WITH s AS (
    SELECT e.clinician_id, (? - e.ends_at) / 3600.0 AS age_hours
    FROM events e
    JOIN event_kinds k ON k.kind = e.kind
    WHERE k.event_group = 'client' AND e.cancelled_at IS NULL AND e.ends_at < ?
      AND NOT COALESCE(e.completed_at <= ?, 0)
      AND (? IS NULL OR e.local_date >= ?) AND (? IS NULL OR e.local_date <= ?)
)
SELECT s.clinician_id, c.name AS clinician, ab.bucket AS age_bucket, COUNT(*) AS notes,
       MAX(s.age_hours) AS oldest_hours
FROM s
JOIN age_buckets ab ON s.age_hours >= ab.min_hours AND s.age_hours < ab.max_hours
JOIN clinicians c ON c.id = s.clinician_id
GROUP BY s.clinician_id, c.name, ab.bucket, ab.sort_key
"""


def sqlite_backlog(con: sqlite3.Connection, as_of: datetime, start: date | None = None,
                   end: date | None = None) -> pd.DataFrame:
    """``backlog_counts.sql`` in SQLite (instants are epoch seconds)."""
    moment = int(as_of.timestamp())
    first = start.isoformat() if start is not None else None
    last = end.isoformat() if end is not None else None
    frame = pd.read_sql_query(_SQLITE_BACKLOG, con, params=[
        moment, moment, moment, first, first, last, last])
    return frame[BACKLOG_COLUMNS]


# -- floor -----------------------------------------------------------------------------------------
FLOOR_TABLES = """
CREATE OR REPLACE TABLE bench_floor_sessions AS
WITH live AS (
    SELECT ec.client_id, ec.event_id, ec.attendance, e.clinician_id, e.service_id, e.kind,
           e.month_key, e.week_start, e.weekday, e.local_date, e.direct, e.duration_minutes,
           e.starts_at
    FROM event_clients ec
    JOIN events e ON e.id = ec.event_id
    JOIN event_kinds k ON k.kind = e.kind
    WHERE k.event_group = 'client' AND e.cancelled_at IS NULL
),
firsts AS (
    SELECT client_id, arg_min(event_id, (starts_at, event_id)) AS event_id
    FROM live GROUP BY client_id
)
SELECT l.clinician_id, l.service_id, l.kind, l.month_key, l.week_start, l.weekday,
       l.event_id = f.event_id AS first_visit, l.attendance, l.duration_minutes, l.local_date
FROM live l JOIN firsts f ON f.client_id = l.client_id
WHERE l.direct
ORDER BY l.local_date;

CREATE OR REPLACE TABLE bench_floor_backlog AS
WITH marks AS (
    SELECT event_id, COUNT(*) AS clients, COUNT(*) FILTER (WHERE attendance IS NULL) AS unmarked
    FROM event_clients GROUP BY event_id
)
SELECT e.clinician_id, e.local_date,
       CAST(epoch(e.ends_at) AS BIGINT) AS ends_s,
       CAST(epoch(p.saved_at) AS BIGINT) AS plan_s,
       CAST(epoch(o.signed_at) AS BIGINT) AS signed_s,
       COALESCE(e.service_id IS NOT NULL AND COALESCE(m.clients, 0) > 0
                AND CASE WHEN e.direct THEN COALESCE(m.unmarked, 0) = 0
                         WHEN NOT e.direct THEN o.status IS NOT NULL ELSE TRUE END,
                FALSE) AS stored_ok
FROM events e
JOIN event_kinds k ON k.kind = e.kind
LEFT JOIN plans p ON p.event_id = e.id
LEFT JOIN outcomes o ON o.event_id = e.id
LEFT JOIN marks m ON m.event_id = e.id
WHERE k.event_group = 'client' AND e.cancelled_at IS NULL
ORDER BY e.ends_at;
"""

FLOOR_ATTENDANCE = """
SELECT clinician_id, service_id, kind, month_key, week_start, weekday, first_visit, attendance,
       GROUPING_ID(clinician_id, service_id, kind, month_key, week_start, weekday, first_visit)
           AS grouping, COUNT(*) AS sessions, SUM(duration_minutes) AS minutes
FROM bench_floor_sessions
WHERE local_date BETWEEN ? AND ?
GROUP BY GROUPING SETS ((clinician_id, attendance), (service_id, attendance), (kind, attendance),
    (month_key, attendance), (week_start, attendance), (weekday, attendance),
    (first_visit, attendance), (attendance))
"""

FLOOR_BACKLOG = """
SELECT clinician_id,
       CASE WHEN age < 24 THEN 0 WHEN age < 48 THEN 1 WHEN age < 168 THEN 2 WHEN age < 336 THEN 3
            ELSE 4 END AS bucket,
       COUNT(*) AS notes, MAX(age) AS oldest_hours
FROM (
    SELECT clinician_id, (CAST(? AS BIGINT) - ends_s) / 3600.0 AS age
    FROM bench_floor_backlog
    WHERE ends_s < CAST(? AS BIGINT)
      AND local_date BETWEEN ? AND ?
      AND NOT (stored_ok AND COALESCE(plan_s <= CAST(? AS BIGINT), FALSE)
               AND COALESCE(signed_s <= CAST(? AS BIGINT), FALSE))
)
GROUP BY 1, 2
"""
# Which column identifies each grouping set in FLOOR_ATTENDANCE's GROUPING_ID (bit 6 is the
# clinician, bit 0 the first visit; a set of all ones is the total).
_FLOOR_GROUPING = {
    0b0111111: ("clinician", "clinician_id"),
    0b1011111: ("service", "service_id"),
    0b1101111: ("kind", "kind"),
    0b1110111: ("month", "month_key"),
    0b1111011: ("week", "week_start"),
    0b1111101: ("weekday", "weekday"),
    0b1111110: ("visit", "first_visit"),
    0b1111111: ("total", None),
}


def build_floor(cur: duckdb.DuckDBPyConnection) -> None:
    """Pre-join the floor's two tables, stored (and checkpointed) like the practice's own, in
    the benchmark's database; ``drop_floor`` removes them."""
    cur.execute(FLOOR_TABLES)
    cur.execute("CHECKPOINT")


def drop_floor(cur: duckdb.DuckDBPyConnection) -> None:
    cur.execute("DROP TABLE IF EXISTS bench_floor_sessions;"
                " DROP TABLE IF EXISTS bench_floor_backlog")


def floor_attendance(cur: duckdb.DuckDBPyConnection, start: date, end: date) -> pd.DataFrame:
    """The attendance groups from the pre-joined table: one aggregate, results to pandas."""
    return cur.execute(FLOOR_ATTENDANCE, [start, end]).df()


def floor_backlog(cur: duckdb.DuckDBPyConnection, as_of: datetime, start: date | None = None,
                  end: date | None = None) -> pd.DataFrame:
    """The backlog groups (clinician x age bucket) from the pre-joined table."""
    moment = int(as_of.timestamp())
    return cur.execute(FLOOR_BACKLOG, [moment, moment, start or date.min, end or date.max,
                                       moment, moment]).df()


def floor_attendance_long(raw: pd.DataFrame) -> pd.DataFrame:
    """``floor_attendance`` rows in the long form the other baselines return."""
    parts = []
    for grouping, (dim, key) in _FLOOR_GROUPING.items():
        rows = raw[raw["grouping"] == grouping]
        parts.append(pd.DataFrame({
            "dimension": dim,
            "key": rows[key].to_numpy() if key is not None else "",
            "attendance": rows["attendance"].to_numpy(),
            "sessions": rows["sessions"].to_numpy(),
            "minutes": rows["minutes"].to_numpy(),
        }))
    return pd.concat(parts, ignore_index=True)


def floor_backlog_long(raw: pd.DataFrame) -> pd.DataFrame:
    """``floor_backlog`` rows with bucket labels, as the other baselines return them."""
    return pd.DataFrame({
        "clinician_id": raw["clinician_id"].to_numpy(),
        "clinician": None,
        "age_bucket": [BUCKET_LABELS[int(b)] for b in raw["bucket"]],
        "notes": raw["notes"].to_numpy(),
        "oldest_hours": raw["oldest_hours"].to_numpy(),
    })


# -- comparing -------------------------------------------------------------------------------------
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
