"""Time the sample practice generator into a database file; print seconds, rows and peak memory.

    python benchmarks/bench_sample.py --clinicians 200 --weeks 260

The database goes to a temporary directory (removed afterwards) unless ``--db`` names a file,
which must not exist yet.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from thera_analytics.sample import generate_practice
from thera_analytics.store.database import Database

TABLES = (
    "clinicians",
    "clients",
    "third_parties",
    "users",
    "events",
    "event_clients",
    "event_team_members",
    "event_third_parties",
    "reminders",
    "plans",
    "outcomes",
    "amendments",
    "comments",
)


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far (ru_maxrss: KiB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024 / 1024 if sys.platform == "darwin" else peak / 1024


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def run(path: Path, args: argparse.Namespace) -> None:
    if path.exists():
        raise SystemExit(f"{path} exists; the generator fills a new database")
    before = peak_rss_mb()
    cpu_before = cpu_seconds()
    started = time.perf_counter()
    with Database(path) as db:
        summary = generate_practice(
            db,
            clinicians=args.clinicians,
            weeks=args.weeks,
            seed=args.seed,
            end=args.end,
            weeks_ahead=args.weeks_ahead,
            progress=args.progress,
        )
        counts = {t: db.cursor().execute(f"SELECT count(*) FROM {t}").fetchone() for t in TABLES}
    total = time.perf_counter() - started
    print(f"practice: {args.clinicians} clinicians x {args.weeks} weeks (+{args.weeks_ahead})")
    print(f"generate_practice: {summary.seconds:.2f} s (open, generate and close: {total:.2f} s)")
    # Wall time suffers when other work shares the cores; CPU time much less so.
    print(f"CPU time (user + system, all threads): {cpu_seconds() - cpu_before:.2f} s")
    for table, row in counts.items():
        print(f"  {table:<20} {row[0] if row else 0:>12,}")
    print(f"database file: {path.stat().st_size / 1e6:,.0f} MB")
    print(f"peak RSS: {peak_rss_mb():,.0f} MB (before opening the database: {before:,.0f} MB)")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clinicians", type=int, default=200)
    parser.add_argument("--weeks", type=int, default=260)
    parser.add_argument("--weeks-ahead", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--end", type=date.fromisoformat, default=None, help="YYYY-MM-DD")
    parser.add_argument("--db", type=Path, default=None, help="database file (default: temp)")
    parser.add_argument("--progress", action="store_true", help="show a progress bar")
    args = parser.parse_args(argv)
    if args.db is not None:
        run(args.db, args)
        return
    with tempfile.TemporaryDirectory() as tmp:
        run(Path(tmp) / "sample.duckdb", args)


if __name__ == "__main__":
    main()
