"""The ``thera`` command line: init, sample, demo, serve, lab, report.

Part of the composition root (``thera_app``): the command line uses the core for its commands
and loads the server (and with it Panel) only for ``serve`` and ``demo``.
"""

from __future__ import annotations

import argparse
import logging
import multiprocessing
import os
import sys
import tempfile
from collections.abc import Callable, Sequence
from datetime import date, datetime
from pathlib import Path

import duckdb

from thera_analytics.clock import system_clock
from thera_analytics.domain.errors import PracticeError
from thera_app.cli_args import date_arg, db_arg, instant_arg, positive_int

DEFAULT_DEMO_DB = Path("data") / "demo.duckdb"
DEMO_CLINICIANS = 8
DEMO_WEEKS = 26


def _port(text: str, lowest: int = 1) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number") from None
    if not lowest <= value <= 65535:
        raise argparse.ArgumentTypeError(f"{value} is not a port ({lowest} to 65535)")
    return value


def _serve_port(text: str) -> int:
    """A port for the server; 0 lets the system choose one (the server says which)."""
    return _port(text, lowest=0)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="thera",
        description="thera-analytics: a practice scheduler, dashboard and reports over DuckDB.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("init", help="create a new practice database")
    p.add_argument("--db", type=db_arg, required=True,
                   help="database file to create, or an empty postgresql:// database")
    p.add_argument("--name", required=True, help="the practice's name")
    p.add_argument("--time-zone", required=True, help="IANA time zone, e.g. Australia/Sydney")
    p.add_argument("--manager", default="manager", help="user name of the first manager")
    p.add_argument("--manager-password", required=True, help="their password")
    p.set_defaults(run=cmd_init)

    p = sub.add_parser("sample", help="generate a deterministic sample practice")
    p.add_argument("--db", type=db_arg, required=True,
                   help="database file or postgresql:// URL (must have no events)")
    p.add_argument("--clinicians", type=positive_int(1000), default=DEMO_CLINICIANS)
    p.add_argument("--weeks", type=positive_int(520), default=DEMO_WEEKS, help="weeks of history")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--end", type=date_arg, help="last day of the history (default: today)")
    p.add_argument("--now", type=instant_arg, help="the instant treated as now (default: now)")
    p.add_argument("--time-zone", default="Australia/Sydney")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(run=cmd_sample)

    p = sub.add_parser("demo", help="sample practice in data/ (if absent), then serve the apps")
    p.add_argument("--db", type=db_arg, default=DEFAULT_DEMO_DB)
    p.add_argument("--port", type=_port, default=5006)
    p.add_argument("--address", default="127.0.0.1")
    p.add_argument("--no-serve", action="store_true", help="generate and summarise only")
    p.set_defaults(run=cmd_demo)

    p = sub.add_parser("serve", help="serve /scheduler, /practice and /portal")
    p.add_argument("--db", type=db_arg, required=True,
                   help="the practice: a DuckDB file or a postgresql:// URL")
    p.add_argument("--port", type=_serve_port, default=5006,
                   help="default 5006; 0: a free port the system chooses")
    p.add_argument("--address", default="127.0.0.1")
    p.add_argument("--processes", type=positive_int(64), default=1,
                   help="server processes sharing the port (PostgreSQL practices; default 1)")
    p.add_argument("--allow-websocket-origin", action="append", default=[], metavar="HOST:PORT",
                   help="a host the browser reaches the server through, e.g. a reverse proxy "
                        "(repeat for several)")
    p.set_defaults(run=cmd_serve)

    p = sub.add_parser("lab", help="open the notebooks in JupyterLab, on this machine only")
    p.add_argument("--db", type=Path, default=None, help=(
        "practice database (default: $THERA_DB, else data/demo.duckdb, generated if absent); "
        "a relative path is looked for here, then in the repository"))
    p.add_argument("--port", type=_serve_port, default=8888,
                   help="default 8888; 0: a free port the system chooses")
    p.add_argument("--no-browser", action="store_true", help="print the address, open no browser")
    p.add_argument("--notebooks", type=Path, default=None,
                   help="folder JupyterLab opens (default: the project's notebooks/)")
    p.add_argument("jupyter_args", nargs=argparse.REMAINDER,
                   help="after --: more options for JupyterLab")
    p.set_defaults(run=cmd_lab)

    p = sub.add_parser("report", help="write a report as CSV, Parquet, Markdown or HTML")
    p.add_argument("name", choices=["attendance", "backlog", "completion", "cancellations",
                                    "changes"])
    p.add_argument("--db", type=db_arg, default=DEFAULT_DEMO_DB)
    p.add_argument("--format", choices=["csv", "parquet", "markdown", "html"], default=None,
                   help="default: from --out's suffix, else csv")
    p.add_argument("--out", type=Path, help="output file (default: standard output)")
    p.add_argument("--html", type=Path, help="shorthand for --format html --out FILE")
    p.add_argument("--from", dest="start", type=date_arg, help="first day of the period")
    p.add_argument("--to", dest="end", type=date_arg, help="last day of the period")
    p.add_argument("--as-of", type=instant_arg,
                   help="the instant the report is taken at (ISO; default now): the practice "
                        "as it stood then, from the event history")
    p.add_argument("--clinician", type=int, help="only this clinician id")
    p.add_argument("--service", type=int, help="only this service id")
    p.add_argument("--client", type=int, help="changes: only this client id's events")
    p.set_defaults(run=cmd_report)

    from thera_app import engine_cli, reminders_cli

    reminders_cli.add_commands(sub)  # thera reminders run, thera calendar export
    engine_cli.add_commands(sub)  # thera snapshot, thera move
    return parser


def cmd_init(args: argparse.Namespace) -> int:
    from thera_analytics.service import accounts
    from thera_analytics.store import Database

    if isinstance(args.db, str):
        return _init_postgres(args)
    if args.db.exists():
        raise PracticeError(f"db: {args.db} already exists; choose a new file")
    args.db.parent.mkdir(parents=True, exist_ok=True)
    now = system_clock()
    try:
        with Database(args.db) as db:
            db.init_practice(args.name, args.time_zone, now)
            accounts.create_user(db, username=args.manager, password=args.manager_password,
                                 role="manager", display_name="Practice manager", now=now)
    except BaseException:
        # A refused init leaves no half-made practice behind.
        for leftover in (args.db, args.db.with_name(args.db.name + ".wal")):
            leftover.unlink(missing_ok=True)
        raise
    print(f"Created {args.db} for {args.name} ({args.time_zone}); manager login: {args.manager}")
    return 0


def _init_postgres(args: argparse.Namespace) -> int:
    from thera_analytics.service import accounts
    from thera_analytics.store import Database

    now = system_clock()
    with Database(args.db) as db:
        if db.cursor().execute("SELECT 1 FROM practice").fetchone():
            raise PracticeError(f"db: {db.label} already holds a practice")
        db.init_practice(args.name, args.time_zone, now)
        accounts.create_user(db, username=args.manager, password=args.manager_password,
                             role="manager", display_name="Practice manager", now=now)
        label = db.label
    print(f"Created {args.name} ({args.time_zone}) in {label}; manager login: {args.manager}")
    return 0


def _generate(db_path: Path | str, *, clinicians: int, weeks: int, seed: int, end: date | None,
              now: datetime | None, time_zone: str, progress: bool) -> None:
    from thera_analytics.sample.generator import generate_practice
    from thera_analytics.store import Database

    if isinstance(db_path, str):  # PostgreSQL: built in DuckDB (bulk-loaded), then moved over
        with tempfile.TemporaryDirectory(prefix="thera-sample-") as folder:
            built = Path(folder) / "sample.duckdb"
            _generate(built, clinicians=clinicians, weeks=weeks, seed=seed, end=end, now=now,
                      time_zone=time_zone, progress=progress)
            from thera_analytics.store.copying import copy_practice

            with Database(built, read_only=True) as source:
                report = copy_practice(source, db_path)
            print(f"Moved it to {report.target} ({report.rows:,} rows in {report.seconds:.1f} s)")
        return
    db_path.parent.mkdir(parents=True, exist_ok=True)
    with Database(db_path) as db:
        summary = generate_practice(db, clinicians=clinicians, weeks=weeks, seed=seed, end=end,
                                    now=now, time_zone=time_zone, progress=progress)
    print(f"Sample practice in {db_path}: {summary.clinicians} clinicians, "
          f"{summary.clients:,} clients, {summary.events:,} events "
          f"({summary.client_events:,} client events), {summary.users} logins, "
          f"built in {summary.seconds:.1f} s")


def cmd_sample(args: argparse.Namespace) -> int:
    _generate(args.db, clinicians=args.clinicians, weeks=args.weeks, seed=args.seed,
              end=args.end, now=args.now, time_zone=args.time_zone, progress=not args.quiet)
    return 0


def _has_practice(db: Path | str) -> bool:
    if isinstance(db, Path):
        return db.exists()
    from thera_analytics.store import Database

    with Database(db) as opened:
        return opened.cursor().execute("SELECT 1 FROM practice").fetchone() is not None


def cmd_demo(args: argparse.Namespace) -> int:
    if not _has_practice(args.db):
        _generate(args.db, clinicians=DEMO_CLINICIANS, weeks=DEMO_WEEKS, seed=7, end=None,
                  now=None, time_zone="Australia/Sydney", progress=True)
    from thera_analytics.sample.logins import demo_logins, describe
    from thera_analytics.store import Database

    with Database(args.db) as db:
        logins = demo_logins(db)
    print("Demo logins (password 'demo'):")
    print("\n".join(describe(logins)), flush=True)
    if args.no_serve:
        return 0
    return _serve(args.db, args.port, args.address)


def cmd_serve(args: argparse.Namespace) -> int:
    if isinstance(args.db, Path) and not args.db.exists():
        raise PracticeError(f"db: {args.db} does not exist; run `thera init` or `thera sample`")
    return _serve(args.db, args.port, args.address, args.processes, args.allow_websocket_origin)


def _serve(db_path: Path | str, port: int, address: str, processes: int = 1,
           origins: Sequence[str] = ()) -> int:
    from thera_app.server import serve  # the UI is loaded only when serving

    # What the server has to say at start (no mail server, no cookie secret) as plain lines.
    logging.basicConfig(level=logging.WARNING, format="thera serve: %(message)s")

    def announce(bound: int) -> None:
        print(f"Serving on http://{address}:{bound}/scheduler  (/practice, /portal); "
              "Ctrl-C stops", flush=True)

    serve(db_path, port=port, address=address, show=False, processes=processes,
          websocket_origin=origins, announce=_once(announce) if processes > 1 else announce)
    return 0


def _once(announce: Callable[[int], None]) -> Callable[[int], None]:
    """``announce`` said by the first forked process only, once: every process learns the port
    bound before the fork (``--port 0``: the one the system chose), and a process started again
    to replace one that died says nothing."""
    said = multiprocessing.Value("b", 0)  # shared with the processes forked later

    def first(bound: int) -> None:
        with said.get_lock():
            if said.value:
                return
            said.value = 1
        announce(bound)

    return first


def cmd_lab(args: argparse.Namespace) -> int:
    from thera_app.lab import lab_command, resolve_lab_database

    db = resolve_lab_database(args.db, generate=_generate_demo)
    command, env = lab_command(db, port=args.port, open_browser=not args.no_browser,
                               folder=args.notebooks,
                               extra=[a for a in args.jupyter_args if a != "--"])
    where = (f"http://127.0.0.1:{args.port}/lab" if args.port
             else "a port the system chooses (JupyterLab prints its address)")
    print(f"JupyterLab on {where} with THERA_DB={db}; Ctrl-C stops", file=sys.stderr)
    sys.stderr.flush()
    os.execve(command[0], command, env)  # JupyterLab takes over this process (and Ctrl-C)
    return 0  # pragma: no cover


def _generate_demo(db_path: Path) -> None:
    _generate(db_path, clinicians=DEMO_CLINICIANS, weeks=DEMO_WEEKS, seed=7, end=None,
              now=None, time_zone="Australia/Sydney", progress=True)


def cmd_report(args: argparse.Namespace) -> int:
    from thera_analytics.reports.source import open_for_reading
    from thera_app.html_report import write_report

    fmt, out = args.format, args.out
    if args.html is not None:
        fmt, out = "html", args.html
    if fmt is None:
        suffixes = {".csv": "csv", ".parquet": "parquet", ".md": "markdown", ".html": "html"}
        fmt = suffixes.get(out.suffix.lower(), "csv") if out else "csv"
    if fmt in ("parquet", "html") and out is None:
        raise PracticeError(f"out: a {fmt} report needs --out FILE")
    db = open_for_reading(args.db)
    if getattr(db, "is_snapshot", False):
        print(db.freshness(), file=sys.stderr)
    try:
        write_report(db, args.name, fmt, out, start=args.start, end=args.end, as_of=args.as_of,
                     clinician_id=args.clinician, service_id=args.service,
                     client_id=args.client)
    finally:
        db.close()
    if out is not None:
        print(f"Wrote {args.name} report ({fmt}) to {out}", file=sys.stderr)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.run(args))
    except PracticeError as exc:
        print(f"thera {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except (OSError, duckdb.Error) as exc:  # unreadable or unwritable files, a damaged database
        print(f"thera {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
