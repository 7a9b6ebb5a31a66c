"""The reports against their baselines (pandas, SQLite, a hand-written floor), checked to
agree before their times count."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from benchmarks import baselines as bl
from benchmarks.measuring import (
    BACKLOG_MONTH,
    MONTH,
    NOW,
    REPORTS,
    Contender,
    Session,
)
from thera_analytics.reports.attendance import attendance_breakdowns
from thera_analytics.reports.backlog import backlog_by_clinician
from thera_analytics.reports.period import Period
from thera_analytics.reports.source import filter_params, run
from thera_analytics.store.database import Database


# -- our side --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Scope:
    """A report period: the whole history, or one month."""

    name: str
    period: Period

    @property
    def bounds(self) -> tuple[date, date]:
        return self.period.start, self.period.end

    def bounds_for(self, report: str) -> tuple[date, date]:
        """The period's days for ``report`` (the backlog's month is BACKLOG_MONTH)."""
        if report == "backlog" and self.name == "month":
            return BACKLOG_MONTH.start, BACKLOG_MONTH.end
        return self.bounds


def scopes(db: Database) -> list[Scope]:
    first, last = db.cursor().execute(
        "SELECT min(local_date), max(local_date) FROM events").fetchone()  # type: ignore[misc]
    return [Scope("history", Period(first, last)), Scope("month", MONTH)]


def ours(db: Database, report: str, scope: Scope) -> Callable[[], pd.DataFrame | dict]:
    """Our report function, called as the notebooks and dashboards call it."""
    start, end = scope.bounds_for(report)
    if report == "attendance":
        return lambda: attendance_breakdowns(db, start, end)
    if scope.name == "history":
        return lambda: backlog_by_clinician(db, NOW)
    return lambda: backlog_by_clinician(db, NOW, start=start, end=end)


def ours_sql(db: Database, report: str, scope: Scope) -> Callable[[], pd.DataFrame]:
    """The report's packaged query alone, into a DataFrame (without the pandas shaping)."""
    start, end = scope.bounds_for(report)
    if report == "attendance":
        return lambda: run(db, "attendance", [start, end, *filter_params(None, None)])
    first, last = (None, None) if scope.name == "history" else (start, end)
    return lambda: run(db, "backlog_counts", [NOW, first, last, None, None])


def canonical_ours(report: str, result: Any) -> tuple[pd.DataFrame, pd.DataFrame]:
    if report == "attendance":
        return bl.canonical_attendance(bl.report_attendance_long(result))
    return bl.canonical_backlog(bl.report_backlog_long(result))


def agree(report: str, ours_canonical: tuple[pd.DataFrame, pd.DataFrame], theirs: pd.DataFrame,
          who: str, scope: Scope) -> dict[str, int]:
    """Assert a baseline's figures equal ours; how many groups and sessions/notes matched."""
    canonical = (bl.canonical_attendance(theirs) if report == "attendance"
                 else bl.canonical_backlog(theirs))
    gap = bl.differences(ours_canonical, canonical)
    assert gap is None, f"{who} {report} ({scope.name}) differs from ours: {gap}"
    counts = canonical[0]
    if report == "attendance":  # every breakdown counts each session once: read the total
        total = counts.loc[counts["dimension"] == "total", "sessions"].sum()
        return {"groups": int(len(counts)), "client_sessions": int(total)}
    return {"groups": int(len(counts)), "notes": int(counts["notes"].sum())}



REPORT_LABELS = {
    "attendance": "attendance_breakdowns (every breakdown x attendance value)",
    "backlog": "backlog_by_clinician (clinician x age bucket, as of now)",
}


@dataclass
class Baselines:
    """The baselines' data, prepared once (each preparation timed, not in the ratios)."""

    frames: bl.Frames
    sqlite: sqlite3.Connection
    sqlite_path: Path

    @classmethod
    def prepare(cls, s: Session, cur: duckdb.DuckDBPyConnection, workdir: Path) -> Baselines:
        frames = s.once("pandas.load", "pandas: load the tables into DataFrames (not in ratios)",
                        lambda: bl.load_frames(cur))
        s.once("floor.build", "floor: pre-join the integer tables once (not in ratios)",
               lambda: bl.build_floor(cur))
        path = workdir / "practice.sqlite"
        con = s.once("sqlite.copy", "SQLite: copy the report tables in (not in ratios)",
                     lambda: bl.copy_to_sqlite(cur, path))
        s.once("sqlite.index", "SQLite: add indexes and ANALYZE (not in ratios)",
               lambda: bl.index_sqlite(con))
        return cls(frames, con, path)

    def close(self, cur: duckdb.DuckDBPyConnection) -> None:
        bl.drop_floor(cur)
        self.sqlite.close()
        self.sqlite_path.unlink(missing_ok=True)


def report_contenders(s: Session, db: Database, base: Baselines, report: str,
                      scope: Scope) -> dict[str, Contender]:
    """Ours, our SQL alone, pandas, SQLite and the floor, for one report and period."""
    cur = db.cursor()
    start, end = scope.bounds_for(report)
    first, last = (None, None) if scope.name == "history" else (start, end)
    plan = s.plan
    query = f"queries/{report}{'_counts' if report == 'backlog' else ''}.sql"
    if report == "attendance":
        others = {
            "pandas": lambda: bl.pandas_attendance(base.frames, start, end),
            "sqlite": lambda: bl.sqlite_attendance(base.sqlite, start, end),
            "floor": lambda: bl.floor_attendance_long(bl.floor_attendance(cur, start, end)),
        }
        floor_label = "floor: GROUPING SETS over the pre-joined sessions"
    else:
        others = {
            "pandas": lambda: bl.pandas_backlog(base.frames, NOW, first, last),
            "sqlite": lambda: bl.sqlite_backlog(base.sqlite, NOW, first, last),
            "floor": lambda: bl.floor_backlog_long(bl.floor_backlog(cur, NOW, first, last)),
        }
        floor_label = "floor: GROUP BY clinician, bucket over the pre-joined events"
    key = f"{report}.{scope.name}"
    return {
        f"{key}.ours": Contender(f"Ours: {REPORT_LABELS[report]}", ours(db, report, scope),
                                 plan.repeats),
        f"{key}.ours_sql": Contender(f"Ours, SQL only: {query} to a DataFrame",
                                     ours_sql(db, report, scope), plan.repeats),
        f"{key}.pandas": Contender(f"pandas: {report} from memory", others["pandas"],
                                   plan.baseline_repeats),
        # No warm-up for SQLite: its file was just written, so it is in the page cache.
        f"{key}.sqlite": Contender(f"SQLite: {report} SQL", others["sqlite"],
                                   plan.baseline_repeats, warmup=False),
        f"{key}.floor": Contender(floor_label, others["floor"], plan.repeats),
    }


def reports_and_baselines(s: Session, db: Database, periods: list[Scope],
                          workdir: Path) -> dict[tuple[str, str], Any]:
    """Every report against its baselines; asserts they agree; our canonical figures."""
    cur = db.cursor()
    base = Baselines.prepare(s, cur, workdir)
    figures = {}
    try:
        for report in REPORTS:
            for scope in periods:
                key = f"{report}.{scope.name}"
                results = s.rounds(report_contenders(s, db, base, report, scope))
                mine = canonical_ours(report, results[f"{key}.ours"])
                for who in ("pandas", "sqlite", "floor"):
                    s.agreement[f"{key}.{who}"] = agree(report, mine, results[f"{key}.{who}"],
                                                        who, scope)
                figures[(report, scope.name)] = mine
    finally:
        base.close(cur)
    return figures
