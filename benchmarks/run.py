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
import json
import os
import random
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks.bench_sample import peak_rss_mb
from benchmarks.calendar_and_saves import (
    clinician_weeks,
    count_rows,
    past_weeks,
    practice_weeks,
    saves,
)
from benchmarks.engines import ENGINES, engine_markdown, engine_rows, measure_engines
from benchmarks.generation import generate, generate_child
from benchmarks.measuring import (
    BACKLOG_MONTH,
    IMPLEMENTATIONS,
    LARGE,
    MONTH,
    NOW,
    PRACTICE_WEEK_PARTS,
    QUICK,
    REPORTS,
    SCOPES,
    SEED,
    Plan,
    Session,
)
from benchmarks.report_race import Scope, reports_and_baselines, scopes
from benchmarks.summary import machine, markdown, revision, summarise
from thera_analytics.store.database import Database

# What other modules and the tests read from here.
__all__ = ["IMPLEMENTATIONS", "NOW", "PRACTICE_WEEK_PARTS", "REPORTS", "SCOPES", "main",
           "past_weeks"]


# -- the run ---------------------------------------------------------------------------------------
def measure(path: Path, plan: Plan, workdir: Path) -> tuple[Session, list[Scope], dict]:
    """Every measurement on the practice database at ``path``; saves last (they write)."""
    s = Session(plan)
    rng = random.Random(SEED)
    with Database(path) as db:
        periods = scopes(db)
        size = {
            "events": count_rows(db, "events"),
            "client_sessions": count_rows(db, "event_clients"),
            "clients": count_rows(db, "clients"),
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
    parser.add_argument("--engines", default="duckdb,postgresql",
                        help="also measure saves, weeks and the snapshot copy on these engines "
                             "(PostgreSQL: a throwaway cluster, or --pg-url)")
    parser.add_argument("--pg-url", default=None,
                        help="an empty PostgreSQL database for the engines' part")
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
        engines = both_engines(path, plan, args)
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
    document["engines"] = engines
    text = markdown(document) + "\n".join(engine_markdown(engines)) + "\n"
    args.out_dir.mkdir(parents=True, exist_ok=True)
    (args.out_dir / f"{name}.json").write_text(json.dumps(document, indent=2, default=str) + "\n")
    (args.out_dir / f"{name}.md").write_text(text)
    _say(text)


def both_engines(path: Path, plan: Plan, args: argparse.Namespace) -> list[dict[str, Any]]:
    """The engines' part on the practice just measured (moved to PostgreSQL when asked)."""
    wanted = {e.strip() for e in args.engines.split(",") if e.strip()}
    unknown = wanted - set(ENGINES)
    if unknown:
        raise SystemExit(f"--engines: unknown {', '.join(sorted(unknown))} (use {ENGINES})")
    if "duckdb" not in wanted:
        raise SystemExit("--engines: duckdb is the practice measured, so it is always in")
    if "postgresql" not in wanted:
        return engine_rows(measure_engines(path, None, plan, args.seed))
    if args.pg_url:
        return engine_rows(measure_engines(path, args.pg_url, plan, args.seed))
    from tests.pg_cluster import running_cluster  # a throwaway cluster, as the tests start

    _say("moving the practice to a throwaway PostgreSQL cluster ...")
    with running_cluster() as cluster:
        return engine_rows(measure_engines(path, cluster.create_database(), plan, args.seed))


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
