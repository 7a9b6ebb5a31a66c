"""The floor: the cheapest DuckDB aggregate giving the reports' groups, over a table pre-joined
once (timed apart, stored in the benchmark's database like the practice's tables) with integer
keys and the first-visit and completeness flags already worked out."""

from __future__ import annotations

from datetime import date, datetime

import duckdb
import pandas as pd

from thera_analytics.domain.backlog import BUCKET_LABELS

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
