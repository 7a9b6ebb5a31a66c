"""The reports in SQLite: the same rows copied into a SQLite file (instants as epoch seconds,
dates as ISO text, booleans as 0/1, the indexes a user would add), then the report's SQL as far
as SQLite allows (no GROUPING SETS: one GROUP BY per breakdown, joined by UNION ALL)."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime
from pathlib import Path

import duckdb
import pandas as pd

from benchmarks.baseline_forms import (
    ATTENDANCE_COLUMNS,
    BACKLOG_COLUMNS,
    DIMENSION_KEYS,
)

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
