"""``thera snapshot`` and ``thera move``: a practice copied between DuckDB and PostgreSQL.

- ``thera snapshot --db postgresql://... --to analyst.duckdb`` writes the analysts' DuckDB copy
  of a practice (stamped with when it was taken, without password hashes), which the reports,
  notebooks and the manager's report panels read as they read any practice file.
- ``thera move --from practice.duckdb --to postgresql://...`` (or back) copies a practice
  losslessly, prints rows and a checksum per table for both sides, and fails if they differ.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from thera_analytics.domain.errors import PracticeError
from thera_app.cli_args import db_arg


def add_commands(sub: Any) -> None:
    p = sub.add_parser("snapshot", help="copy a practice into a DuckDB file for analysts")
    p.add_argument("--db", type=db_arg, required=True,
                   help="the practice: a postgresql:// URL or a DuckDB file")
    p.add_argument("--to", type=Path, required=True, help="the DuckDB file to write")
    p.set_defaults(run=cmd_snapshot)

    p = sub.add_parser("move", help="copy a whole practice between DuckDB and PostgreSQL")
    p.add_argument("--from", dest="source", type=db_arg, required=True,
                   help="the practice to copy: a DuckDB file or a postgresql:// URL")
    p.add_argument("--to", dest="target", type=db_arg, required=True,
                   help="a new DuckDB file, or an empty PostgreSQL database")
    p.set_defaults(run=cmd_move)


def _exists(target: Path | str) -> None:
    if isinstance(target, Path) and not target.exists():
        raise PracticeError(f"db: {target} does not exist")


def cmd_snapshot(args: argparse.Namespace) -> int:
    from thera_analytics.reports.source import take_snapshot
    from thera_analytics.store import Database

    _exists(args.db)
    with Database(args.db, read_only=True) as db:
        info = take_snapshot(db, args.to)
    print(f"Wrote the analyst snapshot of {info.source} to {info.path} in {info.seconds:.1f} s",
          file=sys.stderr)
    return 0


def cmd_move(args: argparse.Namespace) -> int:
    from thera_analytics.store import Database
    from thera_analytics.store.copying import copy_practice, verify_copy

    _exists(args.source)
    with Database(args.source, read_only=True) as source:
        report = copy_practice(source, args.target)
        print(f"Copied {report.rows:,} rows from {report.source} to {report.target} in "
              f"{report.seconds:.1f} s")
        with Database(args.target, read_only=True) as target:
            mismatches = verify_copy(report, target)
    for line in report.lines():
        print("  " + line)
    print(f"  sequences carried: {len(report.sequences)}")
    if mismatches:
        for table, want, got in mismatches:
            print(f"thera move: error: {table}: copied {want}, the target holds {got}",
                  file=sys.stderr)
        return 2
    print("Row counts and checksums match on both sides.")
    return 0
