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

Each way lives in its own module (``baseline_pandas``, ``baseline_sqlite``, ``baseline_floor``;
the long and canonical forms in ``baseline_forms``); this module gathers their names in one
place for the benchmarks that race them.
"""

from benchmarks.baseline_floor import (
    FLOOR_ATTENDANCE,
    FLOOR_BACKLOG,
    FLOOR_TABLES,
    build_floor,
    drop_floor,
    floor_attendance,
    floor_attendance_long,
    floor_backlog,
    floor_backlog_long,
)
from benchmarks.baseline_forms import (
    ATTENDANCE_COLUMNS,
    BACKLOG_COLUMNS,
    BILLABLE,
    DIMENSION_KEYS,
    canonical_attendance,
    canonical_backlog,
    differences,
    report_attendance_long,
    report_backlog_long,
)
from benchmarks.baseline_pandas import Frames, load_frames, pandas_attendance, pandas_backlog
from benchmarks.baseline_sqlite import (
    SQLITE_INDEXES,
    copy_to_sqlite,
    index_sqlite,
    sqlite_attendance,
    sqlite_backlog,
)

__all__ = [
    "ATTENDANCE_COLUMNS", "BACKLOG_COLUMNS", "BILLABLE", "DIMENSION_KEYS", "FLOOR_ATTENDANCE",
    "FLOOR_BACKLOG", "FLOOR_TABLES", "SQLITE_INDEXES", "Frames", "build_floor",
    "canonical_attendance", "canonical_backlog", "copy_to_sqlite", "differences", "drop_floor",
    "floor_attendance", "floor_attendance_long", "floor_backlog", "floor_backlog_long",
    "index_sqlite", "load_frames", "pandas_attendance", "pandas_backlog",
    "report_attendance_long", "report_backlog_long", "sqlite_attendance", "sqlite_backlog",
]
