"""What the event history costs (issue 17, item 5): saves, as-of reports, size.

- a save with its history version against the same save without it (target: within 1.3x),
  interleaved, each on a different real unsigned past session of the generated practice;
- each report as of a past instant (read from the history) against the same report now (read
  from the tables), interleaved (target: within 2x);
- the history's rows and size on disk beside the events' own.

The generated practice has one history version per event; by default (``--versions
realistic``) it is rewritten with a version per step each event went through, created, plan
saved, outcome recorded, signed, cancelled (``benchmarks.history_versions``), so that what
grows with the versions is measured; ``--versions one`` keeps the generator's. Before anything
is timed, each report as of "now" read from the history must equal the same report read from
the tables, or the run fails.

Each timing is taken twice: wall-clock (the target's measure, on an idle machine) and the
process's CPU time (``time.process_time``, every thread's), whose ratio moves far less when
other work loads the machine: on a loaded machine, judge DuckDB by the CPU ratio (PostgreSQL
works in its own processes, so it has none).

Each engine asked for is measured on the same generated practice: the DuckDB file, and its copy
moved to PostgreSQL (a throwaway cluster, as the tests start one, unless ``--pg-url`` names a
database) before any benchmark save.

```bash
.venv/bin/python -m benchmarks.history_cost                     # 200 clinicians x 260 weeks
.venv/bin/python -m benchmarks.history_cost --engines duckdb postgresql
.venv/bin/python -m benchmarks.history_cost --clinicians 50 --weeks 104
.venv/bin/python -m benchmarks.history_cost --quick             # 3 x 8 weeks, seconds
.venv/bin/python -m benchmarks.history_cost --versions one      # one version per event
```

Writes ``<out-dir>/history_cost-<clinicians>x<weeks>.json`` and ``.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pandas as pd

from benchmarks import history_versions
from thera_analytics import reports
from thera_analytics.clock import FixedClock
from thera_analytics.domain.actor import Actor, Role
from thera_analytics.practice import Practice
from thera_analytics.sample import generate_practice
from thera_analytics.store import Database, copying, history

NOW = datetime(2026, 6, 12, 6, 0, tzinfo=UTC)
PAST = NOW - timedelta(days=3)  # before the benchmark's saves and later bookings
MONTH = ("2026-05-01", "2026-05-31")
BLOCK_BYTES = 262_144  # DuckDB's block size
ENGINES = ("duckdb", "postgresql")


def _median_ms(values: list[float]) -> float:
    return round(1000 * statistics.median(values), 3)


def saves(db: Database, count: int, rng: random.Random) -> dict[str, Any]:
    """``count`` plan saves with their history version and ``count`` without, interleaved."""
    clock = FixedClock(NOW)
    practice = Practice(db, clock)
    candidates = db.df(
        "SELECT e.id, e.version, u.id AS user_id, u.display_name, e.clinician_id"
        " FROM events e JOIN event_kinds k ON k.kind = e.kind"
        " JOIN users u ON u.clinician_id = e.clinician_id AND u.role = 'clinician' AND u.active"
        " LEFT JOIN outcomes o ON o.event_id = e.id"
        " WHERE k.event_group = 'client' AND e.cancelled_at IS NULL AND e.ends_at < ?"
        "   AND o.signed_at IS NULL ORDER BY e.id", [NOW]).drop_duplicates("id")
    picked = candidates.iloc[sorted(rng.sample(range(len(candidates)),
                                               min(2 * count, len(candidates))))]
    real_record, real_known = history.record, history.record_known
    times: dict[str, list[float]] = {"with": [], "without": []}
    cpu: dict[str, list[float]] = {"with": [], "without": []}
    for i, row in enumerate(picked.itertuples(index=False)):
        kind = "with" if i % 2 == 0 else "without"
        actor = Actor(int(row.user_id), Role.CLINICIAN, str(row.display_name),
                      int(row.clinician_id))
        clock.advance(timedelta(seconds=1))
        if kind == "without":
            history.record = lambda *args, **kwargs: None  # type: ignore[assignment]
            history.record_known = lambda *args, **kwargs: None  # type: ignore[assignment]
        try:
            started, started_cpu = time.perf_counter(), time.process_time()
            practice.save_plan(actor, int(row.id), int(row.version), f"Benchmark plan {i}",
                               previous_homework="", previous_note="")
            times[kind].append(time.perf_counter() - started)
            cpu[kind].append(time.process_time() - started_cpu)
        finally:
            history.record, history.record_known = real_record, real_known  # type: ignore[assignment]
    with_ms, without_ms = _median_ms(times["with"]), _median_ms(times["without"])
    with_cpu, without_cpu = _median_ms(cpu["with"]), _median_ms(cpu["without"])
    # PostgreSQL's work happens in its server processes, not this one: no CPU ratio there.
    in_process = db.engine == "duckdb"
    return {"saves_each": len(times["with"]), "with_history_ms": with_ms,
            "without_history_ms": without_ms, "ratio": round(with_ms / without_ms, 3),
            "cpu_with_history_ms": with_cpu if in_process else None,
            "cpu_without_history_ms": without_cpu if in_process else None,
            "cpu_ratio": _ratio(with_cpu, without_cpu) if in_process else None, "target": 1.3}


def _ratio(value: float, floor: float) -> float | None:
    """``value / floor``, or None where the floor is too small for the clock to time."""
    return round(value / floor, 3) if floor > 0 else None


def report_calls(db: Database) -> dict[str, Callable[[datetime | None], Any]]:
    first, last = MONTH
    return {
        "attendance_breakdowns (May)": lambda at: reports.attendance_breakdowns(
            db, first, last, as_of=at),
        "backlog_by_clinician": lambda at: reports.backlog_by_clinician(db, at or NOW),
        "backlog_items (May)": lambda at: reports.backlog_items(db, at or NOW, start=first,
                                                                end=last),
        "completion_by_week (May)": lambda at: reports.completion_by_week(
            db, first, last, as_of=at or NOW),
        "session_facts (May)": lambda at: reports.session_facts(db, first, last, as_of=at),
    }


def as_of_reports(db: Database, rounds: int) -> dict[str, Any]:
    """Each report as of ``PAST`` (history) against the same report now (tables)."""
    assert reports.source.reads_history(db, PAST), "nothing changed after PAST"
    assert not reports.source.reads_history(db, datetime.now(UTC))
    out = {}
    for name, call in report_calls(db).items():
        call(None), call(PAST)  # warm-up
        now_t: list[float] = []
        past_t: list[float] = []
        now_cpu: list[float] = []
        past_cpu: list[float] = []
        for _ in range(rounds):
            for at, bucket, cpu in ((None, now_t, now_cpu), (PAST, past_t, past_cpu)):
                started, started_cpu = time.perf_counter(), time.process_time()
                call(at)
                bucket.append(time.perf_counter() - started)
                cpu.append(time.process_time() - started_cpu)
        now_ms, past_ms = _median_ms(now_t), _median_ms(past_t)
        out[name] = {"now_ms": now_ms, "as_of_ms": past_ms,
                     "ratio": round(past_ms / now_ms, 3),
                     "cpu_now_ms": _median_ms(now_cpu), "cpu_as_of_ms": _median_ms(past_cpu),
                     "cpu_ratio": _ratio(_median_ms(past_cpu), _median_ms(now_cpu)),
                     "target": 2.0}
    return out


@contextmanager
def history_read() -> Iterator[None]:
    """Reports given an instant read the history even where nothing has changed since."""
    real = reports.source.reads_history
    reports.source.reads_history = lambda db, as_of: True
    try:
        yield
    finally:
        reports.source.reads_history = real


def check_as_of_now(db: Database) -> list[str]:
    """Each report as of ``NOW`` read from the history equals it read from the tables (raises
    AssertionError naming the report otherwise). Returns the reports checked."""
    checked = []
    for name, call in report_calls(db).items():
        tables = _comparable(call(None))
        with history_read():
            versions = _comparable(call(NOW))
        try:
            pd.testing.assert_frame_equal(versions, tables, check_dtype=False)
        except AssertionError as error:
            raise AssertionError(f"{name} as of now, read from the history, differs from the"
                                 f" tables: {error}") from None
        checked.append(name)
    return checked


def _comparable(result: Any) -> pd.DataFrame:
    """A report's frame (or frames) as one frame in a fixed row order."""
    if isinstance(result, dict):
        return pd.concat({k: _comparable(v) for k, v in sorted(result.items())})
    frame = pd.DataFrame(result)
    if frame.empty:
        return frame.reset_index(drop=True)
    return frame.sort_values(list(frame.columns)).reset_index(drop=True)


def size(db: Database) -> dict[str, Any]:
    """Rows and bytes on disk (DuckDB blocks; PostgreSQL relation with its indexes) of the
    history tables beside the events' own."""
    out = {}
    for table in ("events", "event_clients", "event_history", "event_client_history",
                  "first_visit_history"):
        rows = db.cursor().execute(f'SELECT count(*) FROM "{table}"').fetchone()
        if db.engine == "postgresql":
            size_bytes = db.cursor().execute(
                "SELECT pg_total_relation_size(CAST(? AS regclass))", [table]).fetchone()
        else:
            size_bytes = db.cursor().execute(
                f"SELECT count(DISTINCT block_id) * {BLOCK_BYTES}"
                f" FROM pragma_storage_info('{table}') WHERE block_id >= 0").fetchone()
        assert rows is not None and size_bytes is not None
        out[table] = {"rows": int(rows[0]), "mb": round(int(size_bytes[0]) / 1e6, 1)}
    return out


def measure(db: Database, args: argparse.Namespace) -> dict[str, Any]:
    """Saves, as-of reports and size on one engine's copy of the practice."""
    if db.engine == "duckdb":
        db.cursor().execute("CHECKPOINT")
    doc: dict[str, Any] = {"saves": saves(db, args.saves, random.Random(1))}
    if db.engine == "duckdb":
        db.cursor().execute("CHECKPOINT")
        doc["as_of_reports"] = as_of_reports(db, args.rounds)
    # Reports on a PostgreSQL practice read a DuckDB snapshot of it (reports.source), so they
    # are measured on DuckDB only.
    doc["size"] = size(db)
    return doc


def markdown(doc: dict[str, Any]) -> str:
    lines = [f"# Event history cost, {doc['clinicians']} clinicians x {doc['weeks']} weeks",
             "", f"Generated in {doc['generate_seconds']} s (history included);"
             f" load average {doc['load_average']} at the start."]
    v = doc.get("versions")
    if v is not None:
        spread = ", ".join(f"{n}: {c:,}" for n, c in v["events_by_versions"].items())
        lines += ["", f"History versions: {v['kind']} ({v['versions_per_event']} per event,"
                  f" {v['versions_per_past_session']} per past live client session,"
                  f" {v['versions']:,} for {v['events']:,} events; events by versions {spread};"
                  f" written in {v['seconds']} s{_first_visits(v)})."
                  " Reports as of now read from the history equal the tables:"
                  f" {len(doc['as_of_now_equals_tables'])} checked."]
    for engine, e in doc["engines"].items():
        s = e["saves"]
        lines += ["", f"## {engine}", "",
                  "| what | without history | with history | ratio | CPU ratio | target |",
                  "|---|---:|---:|---:|---:|---:|",
                  f"| save a plan (median of {s['saves_each']}) | {s['without_history_ms']} ms |"
                  f" {s['with_history_ms']} ms | {s['ratio']}x | {_x(s.get('cpu_ratio'))} |"
                  f" {s['target']}x |", "",
                  "| report | now (tables) | as of a past instant (history) | ratio | CPU ratio"
                  " | target |",
                  "|---|---:|---:|---:|---:|---:|"]
        if "as_of_reports" not in e:
            lines.append("| (reports read a DuckDB snapshot of this practice) | | | | | |")
        for name, r in e.get("as_of_reports", {}).items():
            lines.append(f"| {name} | {r['now_ms']} ms | {r['as_of_ms']} ms | {r['ratio']}x |"
                         f" {_x(r.get('cpu_ratio'))} | {r['target']}x |")
        lines += ["", "| table | rows | MB on disk |", "|---|---:|---:|"]
        for table, size_of in e["size"].items():
            lines.append(f"| {table} | {size_of['rows']:,} | {size_of['mb']} |")
    return "\n".join(lines) + "\n"


def _first_visits(versions: dict[str, Any]) -> str:
    seconds = versions.get("first_visits_seconds")
    return "" if seconds is None else f", of which first visits {seconds} s"


def _x(ratio: float | None) -> str:
    return "-" if ratio is None else f"{ratio}x"


@contextmanager
def engine_copies(path: Path, engines: list[str], pg_url: str | None) -> Iterator[
        dict[str, Database]]:
    """The generated practice on each engine asked for, opened (PostgreSQL: moved first)."""
    opened: dict[str, Database] = {}
    with ExitStack() as stack:
        if "postgresql" in engines:
            if pg_url is None:
                from tests.pg_cluster import running_cluster  # a throwaway cluster

                pg_url = stack.enter_context(running_cluster()).create_database()
            with Database(path) as source:
                copying.copy_practice(source, pg_url)
        try:
            for engine in engines:
                opened[engine] = Database(path if engine == "duckdb" else str(pg_url))
            yield opened
        finally:
            for db in opened.values():
                db.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3 clinicians x 8 weeks")
    parser.add_argument("--clinicians", type=int, default=200)
    parser.add_argument("--weeks", type=int, default=260)
    parser.add_argument("--saves", type=int, default=100, help="saves of each kind")
    parser.add_argument("--rounds", type=int, default=9, help="runs of each report")
    parser.add_argument("--engines", nargs="+", choices=ENGINES, default=["duckdb"],
                        help="engines to measure (default: duckdb)")
    parser.add_argument("--versions", choices=("realistic", "one"), default="realistic",
                        help="history versions per event: one per step it went through"
                        " (default), or the generator's one")
    parser.add_argument("--pg-url", help="an empty PostgreSQL database to use instead of a"
                        " throwaway cluster")
    parser.add_argument("--out-dir", type=Path, default=Path(__file__).parent / "results")
    args = parser.parse_args(argv)
    if args.quick:
        args.clinicians, args.weeks, args.saves, args.rounds = 3, 8, 10, 3
    with tempfile.TemporaryDirectory(prefix="history-cost-") as folder:
        path = Path(folder) / "practice.duckdb"
        load = round(os.getloadavg()[0], 2)
        with Database(path) as db:
            started = time.perf_counter()
            generate_practice(db, clinicians=args.clinicians, weeks=args.weeks, seed=1,
                              now=NOW, progress=False)
            generated = round(time.perf_counter() - started, 1)
            started = time.perf_counter()
            if args.versions == "realistic":
                versions = history_versions.replace(db, NOW)
            else:
                versions = history_versions.counts(db, NOW)
            versions["seconds"] = round(time.perf_counter() - started, 1)
            db.cursor().execute("CHECKPOINT")
            checked = check_as_of_now(db)
        doc: dict[str, Any] = {"clinicians": args.clinicians, "weeks": args.weeks,
                               "generate_seconds": generated, "load_average": load,
                               "versions": {"kind": args.versions, **versions},
                               "as_of_now_equals_tables": checked, "engines": {}}
        with engine_copies(path, list(dict.fromkeys(args.engines)), args.pg_url) as dbs:
            for engine, db in dbs.items():
                doc["engines"][engine] = measure(db, args)
    name = f"history_cost-{args.clinicians}x{args.weeks}"
    args.out_dir.mkdir(parents=True, exist_ok=True)
    (args.out_dir / f"{name}.json").write_text(json.dumps(doc, indent=2) + "\n")
    (args.out_dir / f"{name}.md").write_text(markdown(doc))
    print(markdown(doc))


if __name__ == "__main__":
    main()
