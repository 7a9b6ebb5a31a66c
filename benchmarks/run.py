"""Benchmarks at practice scale: generation, reports against baselines, calendar, saves.

    python -m benchmarks.run                 # 200 clinicians x 260 weeks (a few minutes)
    python -m benchmarks.run --quick         # 3 x 8, a smoke run of every measurement
    python -m benchmarks.run --clinicians 50 --weeks 104 --db practice.duckdb --out-dir out

Generates the practice (in a child process, for a clean peak memory), then measures in one run
and writes ``<out-dir>/<name>.json`` and ``<name>.md`` (``latest`` for the default size, ``quick``
for ``--quick``). Every baseline's figures are checked against ours before its time counts.
"""

from __future__ import annotations

import argparse
import inspect
import json
import os
import platform
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from benchmarks import baselines as bl
from benchmarks.bench_sample import TABLES, cpu_seconds, peak_rss_mb
from thera_analytics.clock import FixedClock
from thera_analytics.domain.actor import Actor, Role
from thera_analytics.practice import Practice
from thera_analytics.reports.attendance import (
    attendance_breakdowns,
)
from thera_analytics.reports.backlog import backlog_by_clinician
from thera_analytics.reports.period import Period
from thera_analytics.reports.source import filter_params, run
from thera_analytics.service.calendar import week_events
from thera_analytics.store.database import Database

# DuckDB's DataFrame conversion uses an argument pandas 3.1 deprecates (as in pyproject).
warnings.filterwarnings("ignore", message="The inplace keyword in DataFrame.drop")

LARGE = (200, 260)
QUICK = (3, 8)
SEED = 1
# A fixed "now" makes every run measure the same practice: a Friday afternoon in Sydney.
NOW = datetime(2026, 6, 12, 6, 0, tzinfo=UTC)
MONTH = Period.month(2026, 5)  # the last whole month before NOW
# The backlog's month is NOW's own: a practice that chases its notes has no open ones left in
# the month before (every note is signed within three weeks), so that month would measure nothing.
BACKLOG_MONTH = Period.month(2026, 6)

TARGETS = {
    "pandas_over_ours": 5.0,  # at least
    "sqlite_over_ours": 10.0,  # at least
    "ours_over_floor": 2.0,  # at most
    "clinician_week_ms": 10.0,
    "practice_week_ms": 1000.0,
    "save_ms": 10.0,
}
REPORTS = ("attendance", "backlog")
SCOPES = ("history", "month")
IMPLEMENTATIONS = ("ours", "ours_sql", "pandas", "sqlite", "floor")


@dataclass(frozen=True)
class Plan:
    """How many times to repeat each kind of measurement."""

    repeats: int  # our reports and the floor
    baseline_repeats: int  # pandas and SQLite
    budget_s: float  # stop repeating a measurement once it has taken this long (>= 1 run)
    calendar_weeks: int
    practice_weeks: int
    saves: int

    @classmethod
    def for_size(cls, quick: bool) -> Plan:
        if quick:
            return cls(repeats=3, baseline_repeats=2, budget_s=5, calendar_weeks=20,
                       practice_weeks=2, saves=10)
        return cls(repeats=7, baseline_repeats=5, budget_s=30, calendar_weeks=200,
                   practice_weeks=5, saves=200)


# -- timing ----------------------------------------------------------------------------------------
@dataclass
class Timing:
    """Wall and CPU (all threads) seconds of each timed run of one measurement."""

    label: str
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    note: str = ""

    def summary(self) -> dict[str, Any]:
        walls = sorted(self.wall)
        return {
            "label": self.label,
            "runs": len(walls),
            "median_ms": round(1000 * statistics.median(walls), 3),
            "p95_ms": round(1000 * _percentile(walls, 95), 3),
            "min_ms": round(1000 * walls[0], 3),
            "cpu_median_ms": round(1000 * statistics.median(self.cpu), 3),
            "note": self.note,
        }


def _percentile(sorted_values: list[float], pct: float) -> float:
    return float(np.percentile(sorted_values, pct, method="nearest"))


def timed(timing: Timing, fn: Callable[[], Any]) -> Any:
    """Run ``fn`` once, adding its wall and CPU time to ``timing``; return its result."""
    cpu = time.process_time()
    wall = time.perf_counter()
    result = fn()
    timing.wall.append(time.perf_counter() - wall)
    timing.cpu.append(time.process_time() - cpu)
    return result


# -- generation (child process) --------------------------------------------------------------------
def generate_child(path: Path, clinicians: int, weeks: int, seed: int) -> dict[str, Any]:
    """Generate the practice into ``path`` in this (fresh) process; its time and peak memory."""
    from thera_analytics.sample import generate_practice

    before = peak_rss_mb()
    cpu = cpu_seconds()
    wall = time.perf_counter()
    with Database(path) as db:
        summary = generate_practice(db, clinicians=clinicians, weeks=weeks, seed=seed,
                                    now=NOW)
        cur = db.cursor()
        rows = {t: int(cur.execute(f"SELECT count(*) FROM {t}").fetchone()[0])  # type: ignore
                for t in TABLES}
    return {
        "seconds": round(summary.seconds, 3),
        "open_generate_close_seconds": round(time.perf_counter() - wall, 3),
        "cpu_seconds": round(cpu_seconds() - cpu, 3),
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "rss_before_mb": round(before, 1),
        "file_mb": round(path.stat().st_size / 1e6, 1),
        "rows": rows,
    }


def generate(path: Path, clinicians: int, weeks: int, seed: int) -> dict[str, Any]:
    """Run ``generate_child`` in a child process and read back what it measured."""
    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(root), *filter(None, [os.environ.get("PYTHONPATH")])])}
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.run", "--child-generate", str(path),
         "--clinicians", str(clinicians), "--weeks", str(weeks), "--seed", str(seed)],
        capture_output=True, text=True, check=False, env=env, cwd=root)
    if done.returncode != 0:
        raise SystemExit(f"generation failed:\n{done.stderr}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["child_process_seconds"] = round(time.perf_counter() - started, 3)
    return result


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


# -- calendar --------------------------------------------------------------------------------------
def past_weeks(db: Database) -> list[date]:
    """Mondays of the weeks before the one containing NOW (whole, fully recorded weeks)."""
    this_week = NOW.astimezone(db.zone).date()
    this_week -= timedelta(days=this_week.weekday())
    frame = db.df("SELECT DISTINCT week_start FROM events WHERE week_start < ? ORDER BY 1",
                  [this_week])
    return [pd.Timestamp(w).date() for w in frame["week_start"]]


def clinician_weeks(db: Database, plan: Plan, rng: random.Random) -> Timing:
    """``week_events`` for one clinician's week, over many (week, clinician) pairs."""
    weeks = past_weeks(db)
    clinicians = db.df("SELECT id FROM clinicians ORDER BY id")["id"].astype(int).tolist()
    picks = [(rng.choice(weeks), rng.choice(clinicians)) for _ in range(plan.calendar_weeks)]
    week_events(db, *picks[0])
    timing = Timing("One clinician's week: week_events(db, week, clinician_id)",
                    note=f"{len(picks)} random (week, clinician) pairs")
    for week, clinician in picks:
        timed(timing, lambda w=week, c=clinician: week_events(db, w, c))
    return timing


PRACTICE_WEEK_PARTS = ("query", "view", "panel", "total")


def practice_week_steps(db: Database) -> tuple[str, list[tuple[str, Callable[[date, Any], Any]]]]:
    """How the practice week is built: dashboards/practice's ``PracticeWeek`` (read, lanes
    layout, HoloViews elements), then its Bokeh models; or, before that view existed, the
    scheduler's week drawn for every clinician. Each step takes the week and the previous
    step's result."""
    import panel as pn

    try:
        from dashboards.practice.context import PracticeContext
        from dashboards.practice.practice_week import PracticeWeek
    except ImportError:
        return "dashboards/scheduler's blocks.week_view and calendar elements", [
            ("view", _scheduler_view(db)),
            ("panel", lambda week, overlay: pn.pane.HoloViews(overlay).get_root()),
        ]
    manager = Actor(None, Role.MANAGER, "Benchmark")

    def view(week: date, _: object) -> Any:
        context = PracticeContext(db=db, actor=manager, clock=FixedClock(NOW), week=week,
                                  as_of=NOW)
        return PracticeWeek(context=context)

    return "dashboards/practice PracticeWeek", [
        ("view", view),
        ("panel", lambda week, practice_week: pn.panel(practice_week).get_root()),
    ]


def _scheduler_view(db: Database) -> Callable[[date, Any], Any]:
    import holoviews as hv

    from dashboards.scheduler import blocks
    from dashboards.scheduler import calendar as scheduler_calendar

    today = NOW.astimezone(db.zone).date()

    def build(week: date, _: object) -> hv.Overlay:
        view = blocks.week_view(week_events(db, week, None), week, today=today)
        layers = []
        for name in ("_background", "_blocks", "_labels", "_dots", "_marks"):
            element = getattr(scheduler_calendar, name)
            # The calendar's figure hooks (styling, click handling) need its live widget.
            takes_hooks = "hooks" in inspect.signature(element).parameters
            layers.append(element(view, hooks=[]) if takes_hooks else element(view))
        return hv.Overlay(layers).opts(hv.opts.Overlay(framewise=True))

    return build


def practice_weeks(db: Database, plan: Plan, rng: random.Random) -> dict[str, Timing]:
    """The whole practice's week: its query alone, then the view built and its Bokeh models."""
    source, steps = practice_week_steps(db)
    weeks = rng.sample(past_weeks(db), plan.practice_weeks)
    note = f"{len(weeks)} random weeks; {source}"
    labels = {
        "query": "Practice week: week_events(db, week, None) alone (also inside the view)",
        "view": "Practice week: view built (read, layout, HoloViews elements)",
        "panel": "Practice week: Bokeh models (get_root)",
        "total": "Practice week: view + Bokeh models",
    }
    parts = {k: Timing(labels[k], note=note) for k in PRACTICE_WEEK_PARTS}
    for i, week in enumerate([weeks[0], *weeks]):
        query = Timing("query")
        timed(query, lambda w=week: week_events(db, w, None))
        run_parts = {name: Timing(name) for name, _ in steps}
        result = None
        for name, step in steps:
            result = timed(run_parts[name], lambda w=week, r=result, f=step: f(w, r))
        if i == 0:
            continue  # warm-up: first use of the plotting stack
        for k, t in [("query", query), *run_parts.items()]:
            parts[k].wall += t.wall
            parts[k].cpu += t.cpu
        parts["total"].wall.append(sum(t.wall[0] for t in run_parts.values()))
        parts["total"].cpu.append(sum(t.cpu[0] for t in run_parts.values()))
    return parts


# -- saves -----------------------------------------------------------------------------------------
def saves(db: Database, plan: Plan, rng: random.Random) -> dict[str, Timing]:
    """Plans and outcomes saved through ``Practice`` on real unsigned past sessions.

    Each save is one use case: load, owner and version check, the rules, write, audit row, one
    transaction. The arguments are what the editor sends (the plan form's pre-filled fields).
    """
    practice = Practice(db, FixedClock(NOW))
    candidates = db.df(
        "SELECT e.id, e.version, e.direct, u.id AS user_id, u.display_name, e.clinician_id"
        " FROM events e"
        " JOIN event_kinds k ON k.kind = e.kind"
        " JOIN users u ON u.clinician_id = e.clinician_id AND u.role = 'clinician' AND u.active"
        " LEFT JOIN outcomes o ON o.event_id = e.id"
        " WHERE k.event_group = 'client' AND e.cancelled_at IS NULL AND e.ends_at < ?"
        "   AND o.signed_at IS NULL ORDER BY e.id", [NOW]).drop_duplicates("id")
    picked = candidates.iloc[sorted(rng.sample(range(len(candidates)),
                                               min(plan.saves, len(candidates))))]
    audit_before = _count(db, "audit_log")
    run_mark = f"benchmark {datetime.now(UTC):%Y-%m-%d %H:%M:%S.%f}"
    note = f"{len(picked)} unsigned past client sessions, each saved once"
    timings = {
        "plan": Timing("Save a plan: Practice.save_plan", note=note),
        "outcome": Timing("Save an outcome (attendance or status, note): Practice.save_outcome",
                          note=note),
    }
    for row in picked.itertuples(index=False):
        actor = Actor(int(row.user_id), Role.CLINICIAN, str(row.display_name),
                      int(row.clinician_id))
        clients = db.df("SELECT client_id FROM event_clients WHERE event_id = ?",
                        [int(row.id)])["client_id"].astype(int).tolist()
        # Text new to this run, so every save changes something (an unchanged save writes
        # nothing), also when --reuse measures a database saved into before.
        text = f"({run_mark})"
        version = timed(timings["plan"], lambda r=row, a=actor, t=text: practice.save_plan(
            a, int(r.id), int(r.version), f"Review the week's goals; practise the plan {t}.",
            previous_homework="", previous_note=""))
        outcome: dict[str, Any] = (
            {"attendance": dict.fromkeys(clients, "attended")} if bool(row.direct)
            else {"status": "completed"})
        timed(timings["outcome"], lambda r=row, a=actor, v=version, o=outcome, t=text:
              practice.save_outcome(a, int(r.id), v, note=f"Session went as planned {t}.", **o))
    written = _count(db, "audit_log") - audit_before
    assert written == 2 * len(picked), f"{written} audit rows for {2 * len(picked)} saves"
    return timings


def _count(db: Database, table: str) -> int:
    return int(db.cursor().execute(f"SELECT count(*) FROM {table}").fetchone()[0])  # type: ignore


# -- reports and baselines -------------------------------------------------------------------------
@dataclass
class Session:
    """Everything one run measures, as it goes."""

    plan: Plan
    timings: dict[str, Timing] = field(default_factory=dict)
    agreement: dict[str, dict[str, Any]] = field(default_factory=dict)

    def once(self, key: str, label: str, fn: Callable[[], Any], note: str = "") -> Any:
        timing = Timing(label, note=note)
        result = timed(timing, fn)
        self.timings[key] = timing
        return result

    def rounds(self, contenders: dict[str, Contender]) -> dict[str, Any]:
        """Time several ways of doing one thing in interleaved rounds (one run of each per
        round), so a machine that gets busier or quieter affects them alike; returns each
        one's last result."""
        results = {key: c.fn() for key, c in contenders.items() if c.warmup}
        timings = {key: Timing(c.label, note=c.note) for key, c in contenders.items()}
        spent = dict.fromkeys(contenders, 0.0)
        for i in range(max(c.repeats for c in contenders.values())):
            for key, c in contenders.items():
                if i >= c.repeats or (i > 0 and spent[key] > self.plan.budget_s):
                    continue
                results[key] = timed(timings[key], c.fn)
                spent[key] += timings[key].wall[-1]
        self.timings.update(timings)
        return results


@dataclass(frozen=True)
class Contender:
    """One way of producing a measured result."""

    label: str
    fn: Callable[[], Any]
    repeats: int
    warmup: bool = True
    note: str = ""


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


# -- the run ---------------------------------------------------------------------------------------
def measure(path: Path, plan: Plan, workdir: Path) -> tuple[Session, list[Scope], dict]:
    """Every measurement on the practice database at ``path``; saves last (they write)."""
    s = Session(plan)
    rng = random.Random(SEED)
    with Database(path) as db:
        periods = scopes(db)
        size = {
            "events": _count(db, "events"),
            "client_sessions": _count(db, "event_clients"),
            "clients": _count(db, "clients"),
            "history": f"{periods[0].period.start}..{periods[0].period.end}",
            "month": f"{MONTH.start}..{MONTH.end}",
            "backlog_month": f"{BACKLOG_MONTH.start}..{BACKLOG_MONTH.end}",
            "as_of": NOW.isoformat(),
        }
        reports_and_baselines(s, db, periods, workdir)
        s.timings["calendar.clinician_week"] = clinician_weeks(db, plan, rng)
        for part, timing in practice_weeks(db, plan, rng).items():
            s.timings[f"practice_week.{part}"] = timing
        for kind, timing in saves(db, plan, rng).items():
            s.timings[f"save.{kind}"] = timing
    return s, periods, size


def summarise(s: Session, periods: list[Scope], size: dict, generation: dict,
              meta: dict) -> dict[str, Any]:
    """The run as one JSON-able document: measurements, report ratios, targets."""
    measurements = {key: t.summary() for key, t in s.timings.items()}

    def median(key: str) -> float:
        return float(measurements[key]["median_ms"])

    reports, targets = [], []
    for report in REPORTS:
        for scope in periods:
            base = f"{report}.{scope.name}"
            row: dict[str, Any] = {"report": report, "scope": scope.name,
                                   "period": f"{scope.period.start}..{scope.period.end}"}
            for impl in IMPLEMENTATIONS:
                row[f"{impl}_ms"] = median(f"{base}.{impl}")
            for mine in ("ours", "ours_sql"):
                row[f"pandas_over_{mine}"] = round(row["pandas_ms"] / row[f"{mine}_ms"], 2)
                row[f"sqlite_over_{mine}"] = round(row["sqlite_ms"] / row[f"{mine}_ms"], 2)
                row[f"{mine}_over_floor"] = round(row[f"{mine}_ms"] / row["floor_ms"], 2)
            row["agreement"] = {impl: s.agreement[f"{base}.{impl}"]
                                for impl in ("pandas", "sqlite", "floor")}
            reports.append(row)
            what = f"{report}, {scope.name}"
            targets += [
                _target(f"{what}: pandas / ours", row["pandas_over_ours"], ">=",
                        TARGETS["pandas_over_ours"], "x"),
                _target(f"{what}: SQLite / ours", row["sqlite_over_ours"], ">=",
                        TARGETS["sqlite_over_ours"], "x"),
                _target(f"{what}: ours / floor", row["ours_over_floor"], "<=",
                        TARGETS["ours_over_floor"], "x"),
            ]
    targets += [
        _target("clinician week, median", median("calendar.clinician_week"), "<",
                TARGETS["clinician_week_ms"], "ms"),
        _target("practice week built, median", median("practice_week.total"), "<",
                TARGETS["practice_week_ms"], "ms"),
        _target("save a plan, median", median("save.plan"), "<", TARGETS["save_ms"], "ms"),
        _target("save an outcome, median", median("save.outcome"), "<", TARGETS["save_ms"],
                "ms"),
    ]
    return {**meta, "size": size, "generation": generation, "measurements": measurements,
            "reports": reports, "targets": targets}


def _target(what: str, value: float, op: str, bound: float, unit: str) -> dict[str, Any]:
    met = {">=": value >= bound, "<=": value <= bound, "<": value < bound}[op]
    return {"what": what, "value": round(value, 2), "op": op, "bound": bound, "unit": unit,
            "met": bool(met)}


def machine() -> dict[str, Any]:
    """What the run ran on (no paths, no host name)."""
    model = ""
    memory_gb = None
    try:
        text = Path("/proc/cpuinfo").read_text()
        model = next((ln.split(":", 1)[1].strip() for ln in text.splitlines()
                      if ln.startswith("model name")), "")
        mem = Path("/proc/meminfo").read_text().split()
        memory_gb = round(int(mem[mem.index("MemTotal:") + 1]) / 1024 / 1024, 1)
    except (OSError, ValueError, IndexError):
        pass
    return {
        "cpu": model or platform.processor() or platform.machine(),
        "cores": os.cpu_count(),
        "memory_gb": memory_gb,
        "os": platform.platform(terse=True),
        "python": platform.python_version(),
        "duckdb": duckdb.__version__,
        "pandas": pd.__version__,
        "numpy": np.__version__,
        "sqlite": sqlite3.sqlite_version,
    }


def revision() -> dict[str, Any]:
    root = Path(__file__).resolve().parent.parent
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=root,
                                capture_output=True, text=True, check=True).stdout.strip()
        changed = subprocess.run(
            ["git", "status", "--porcelain", "--", "thera_analytics", "dashboards"], cwd=root,
            capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return {"commit": None, "local_changes": None}
    return {"commit": commit, "local_changes": bool(changed)}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help=f"a smoke run at {QUICK[0]} clinicians x {QUICK[1]} weeks")
    parser.add_argument("--clinicians", type=int, default=None)
    parser.add_argument("--weeks", type=int, default=None)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--db", type=Path, default=None,
                        help="keep the practice database here (default: a temporary file)")
    parser.add_argument("--reuse", action="store_true",
                        help="measure an existing --db instead of generating; the run writes "
                             "into it (saves, scratch tables), so give it a benchmark's own "
                             "database, never a practice's")
    parser.add_argument("--out-dir", type=Path, default=Path(__file__).parent / "results")
    parser.add_argument("--child-generate", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    clinicians = args.clinicians or (QUICK[0] if args.quick else LARGE[0])
    weeks = args.weeks or (QUICK[1] if args.quick else LARGE[1])
    if args.child_generate is not None:
        print(json.dumps(generate_child(args.child_generate, clinicians, weeks, args.seed)))
        return
    name = "quick" if args.quick else "latest" if (clinicians, weeks) == LARGE \
        else f"{clinicians}x{weeks}"
    plan = Plan.for_size(args.quick)
    started = datetime.now(UTC)
    load_start = os.getloadavg()
    wall = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="thera-bench-") as tmp:
        path = args.db or Path(tmp) / "practice.duckdb"
        if path.exists() and not args.reuse:
            raise SystemExit(f"{path.name} exists: give --reuse to measure it, or a new --db")
        if args.reuse and path.exists():
            generation: dict[str, Any] = {"reused": True}
        else:
            _say(f"generating {clinicians} clinicians x {weeks} weeks ...")
            generation = generate(path, clinicians, weeks, args.seed)
            _say(f"  {generation['seconds']:.1f} s, peak RSS {generation['peak_rss_mb']:,.0f} MB")
        session, periods, size = measure(path, plan, Path(tmp))
    meta = {
        "name": name,
        "clinicians": clinicians,
        "weeks": weeks,
        "seed": args.seed,
        "started_at": started.isoformat(timespec="seconds"),
        "seconds": round(time.perf_counter() - wall, 1),
        "load_average": {"start": [round(x, 2) for x in load_start],
                         "end": [round(x, 2) for x in os.getloadavg()]},
        "machine": machine(),
        "revision": revision(),
        "peak_rss_mb": round(peak_rss_mb(), 1),
    }
    document = summarise(session, periods, size, generation, meta)
    args.out_dir.mkdir(parents=True, exist_ok=True)
    (args.out_dir / f"{name}.json").write_text(json.dumps(document, indent=2, default=str) + "\n")
    (args.out_dir / f"{name}.md").write_text(markdown(document))
    _say(markdown(document))


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)



# -- Markdown --------------------------------------------------------------------------------------
def _ms(value: float) -> str:
    if value >= 100:
        return f"{value:,.0f}"
    if value >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def _ratio(value: float, op: str, bound: float) -> str:
    met = value >= bound if op == ">=" else value <= bound
    return f"{value:,.1f}× {'✓' if met else '✗'}"


def markdown(doc: dict[str, Any]) -> str:
    """The run as Markdown tables (the README shows the large run's)."""
    m, g, size, mach = doc["measurements"], doc["generation"], doc["size"], doc["machine"]
    rev = doc["revision"]
    lines = [
        f"# Benchmark: {doc['clinicians']} clinicians × {doc['weeks']} weeks",
        "",
        f"Run {doc['started_at']} ({doc['seconds']:.0f} s in all) on {mach['cpu']}, "
        f"{mach['cores']} cores, {mach['memory_gb']} GB; {mach['os']}; Python {mach['python']}, "
        f"DuckDB {mach['duckdb']}, pandas {mach['pandas']}, SQLite {mach['sqlite']}. "
        f"Commit {rev['commit']}{' with local changes' if rev['local_changes'] else ''}. "
        f"Load average {doc['load_average']['start'][0]} at the start, "
        f"{doc['load_average']['end'][0]} at the end: other work shared the machine, so each "
        "figure is a median of repeated runs (CPU time in the last table).",
        "",
        f"Practice: {size['events']:,} events, {size['client_sessions']:,} client sessions, "
        f"{size['clients']:,} clients; history {size['history']}, month {size['month']}"
        f" (the backlog's: {size.get('backlog_month', size['month'])}), "
        f"as of {size['as_of']}.",
        "",
        "## Sample generation (in a child process)",
        "",
    ]
    if g.get("reused"):
        lines.append("Not measured: an existing database was reused.")
    else:
        lines += [
            "| generate_practice | CPU | peak RSS | RSS before generating | database file |",
            "|---:|---:|---:|---:|---:|",
            f"| {g['seconds']:.1f} s | {g['cpu_seconds']:.1f} s | {g['peak_rss_mb']:,.0f} MB | "
            f"{g['rss_before_mb']:,.0f} MB | {g['file_mb']:,.0f} MB |",
        ]
    lines += [
        "",
        "## Reports against baselines (median ms; ratios from this run)",
        "",
        "| report | period | ours | ours, SQL only | pandas | SQLite | floor | pandas / ours "
        "(≥5) | SQLite / ours (≥10) | ours / floor (≤2) |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in doc["reports"]:
        lines.append(
            f"| {r['report']} | {r['scope']} | {_ms(r['ours_ms'])} | {_ms(r['ours_sql_ms'])} | "
            f"{_ms(r['pandas_ms'])} | {_ms(r['sqlite_ms'])} | {_ms(r['floor_ms'])} | "
            f"{_ratio(r['pandas_over_ours'], '>=', 5)} | "
            f"{_ratio(r['sqlite_over_ours'], '>=', 10)} | "
            f"{_ratio(r['ours_over_floor'], '<=', 2)} |")
    lines += [
        "",
        "*Ours* is the report function as notebooks and dashboards call it (query, then pandas "
        "shaping into one table per breakdown); *SQL only* is its packaged query into a "
        "DataFrame. The same ratios against the SQL alone:",
        "",
        "| report | period | pandas / SQL | SQLite / SQL | SQL / floor | groups checked |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for r in doc["reports"]:
        groups = r["agreement"]["pandas"]["groups"]
        lines.append(
            f"| {r['report']} | {r['scope']} | {_ratio(r['pandas_over_ours_sql'], '>=', 5)} | "
            f"{_ratio(r['sqlite_over_ours_sql'], '>=', 10)} | "
            f"{_ratio(r['ours_sql_over_floor'], '<=', 2)} | {groups:,} |")
    lines += [
        "",
        "## Calendar and saves",
        "",
        "| measurement | median ms | p95 ms | runs | target | met |",
        "|---|---:|---:|---:|---|---|",
    ]
    target_of = {"calendar.clinician_week": "< 10 ms", "practice_week.total": "< 1,000 ms",
                 "save.plan": "< 10 ms", "save.outcome": "< 10 ms"}
    for key in ("calendar.clinician_week", *[f"practice_week.{p}" for p in PRACTICE_WEEK_PARTS],
                "save.plan", "save.outcome"):
        t = m[key]
        target = target_of.get(key, "")
        met = ""
        if target:
            bound = float(target.split()[1].replace(",", ""))
            met = "✓" if t["median_ms"] < bound else "✗"
        lines.append(f"| {t['label']} | {_ms(t['median_ms'])} | {_ms(t['p95_ms'])} | "
                     f"{t['runs']} | {target} | {met} |")
    lines += [
        "",
        "## Not in the ratios: loading and preparing the baselines",
        "",
        "| pandas: load tables | SQLite: copy in | SQLite: indexes | floor: pre-join |",
        "|---:|---:|---:|---:|",
        f"| {_ms(m['pandas.load']['median_ms'])} ms | {_ms(m['sqlite.copy']['median_ms'])} ms | "
        f"{_ms(m['sqlite.index']['median_ms'])} ms | {_ms(m['floor.build']['median_ms'])} ms |",
    ]
    lines += [
        "",
        "## Every measurement",
        "",
        "| key | what | runs | median ms | p95 ms | min ms | CPU median ms | note |",
        "|---|---|---:|---:|---:|---:|---:|---|",
    ]
    for key, t in m.items():
        lines.append(f"| `{key}` | {t['label']} | {t['runs']} | {_ms(t['median_ms'])} | "
                     f"{_ms(t['p95_ms'])} | {_ms(t['min_ms'])} | {_ms(t['cpu_median_ms'])} | "
                     f"{t['note']} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
