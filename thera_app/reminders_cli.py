"""``thera reminders run`` and ``thera calendar export``: registered by ``thera_app.cli``.

Call ``add_commands(subparsers)`` with the ``thera`` parser's subparsers; each command sets
``run`` to a function taking the parsed arguments and returning the exit code.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from thera_analytics.clock import system_clock
from thera_analytics.domain.actor import Actor, Role
from thera_analytics.domain.errors import PracticeError
from thera_app.cli_args import date_arg, db_arg, instant_arg, positive_int

DEFAULT_DB = Path("data") / "demo.duckdb"
DEFAULT_INTERVAL = 60.0
# Whoever can open the database file can read all of it; the CLI acts with a manager's reach.
CLI_ACTOR = Actor(None, Role.MANAGER, "thera command line")


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not 1 <= value <= 86_400:
        raise argparse.ArgumentTypeError("the interval is 1 to 86400 seconds")
    return value


def add_commands(subparsers: Any) -> None:
    """Register ``reminders run`` and ``calendar export`` on the ``thera`` subparsers."""
    p = subparsers.add_parser("reminders", help="send due reminders (email and portal)")
    actions = p.add_subparsers(dest="reminders_action", required=True, metavar="ACTION")
    run = actions.add_parser(
        "run", help="send the reminders that are due, once or every INTERVAL seconds",
        description="Send due reminders: email through THERA_SMTP_HOST (THERA_SMTP_PORT, "
                    "THERA_SMTP_TLS none|starttls|ssl, THERA_SMTP_USER, THERA_SMTP_PASSWORD, "
                    "THERA_SMTP_FROM) and browser reminders into the client portal.")
    run.add_argument("--db", type=db_arg, default=DEFAULT_DB,
                     help="practice database: a DuckDB file or a postgresql:// URL")
    mode = run.add_mutually_exclusive_group()
    mode.add_argument("--once", action="store_true", help="one pass, then exit (the default)")
    mode.add_argument("--loop", action="store_true", help="keep sending until interrupted")
    run.add_argument("--interval", type=_seconds, default=None,
                     help=f"seconds between passes with --loop (default {DEFAULT_INTERVAL:.0f})")
    run.add_argument("--batch", type=positive_int(10_000), default=100,
                     help="most reminders per pass")
    run.add_argument("--now", type=instant_arg,
                     help="the instant treated as now, for one pass (default: the clock)")
    run.set_defaults(run=cmd_reminders_run)

    p = subparsers.add_parser("calendar", help="export calendars as iCalendar (.ics)")
    actions = p.add_subparsers(dest="calendar_action", required=True, metavar="ACTION")
    export = actions.add_parser("export", help="a clinician's events or a client's sessions")
    export.add_argument("--db", type=db_arg, required=True,
                        help="practice database: a DuckDB file or a postgresql:// URL")
    who = export.add_mutually_exclusive_group(required=True)
    who.add_argument("--clinician", type=int, help="clinician id")
    who.add_argument("--client", type=int, help="client id")
    export.add_argument("--out", type=Path, required=True, help="the .ics file to write")
    export.add_argument("--from", dest="start", type=date_arg, help="first day (practice time)")
    export.add_argument("--to", dest="end", type=date_arg, help="last day (practice time)")
    export.set_defaults(run=cmd_calendar_export)


def _open(path: Path | str) -> Any:
    from thera_analytics.store.database import Database

    if isinstance(path, Path) and not path.exists():
        raise PracticeError(f"db: {path} does not exist; run `thera init` or `thera sample`")
    return Database(path)


def cmd_reminders_run(args: argparse.Namespace) -> int:
    from thera_analytics.service.notifications import senders_from_env
    from thera_analytics.service.reminders import dispatch_due

    if args.interval is not None and not args.loop:
        raise PracticeError("interval: --interval goes with --loop")
    if args.now is not None and args.loop:
        raise PracticeError("now: --now is for a single pass, not --loop")
    # A single pass at --now dates its emails then too.
    senders = senders_from_env(clock=(lambda: args.now) if args.now else system_clock)
    if not senders:
        print("THERA_SMTP_HOST is not set: email reminders stay queued; browser reminders are "
              "delivered to the portal", file=sys.stderr)
    db = _open(args.db)
    try:
        while True:
            now = args.now or system_clock()
            result = dispatch_due(db, now, senders, batch=args.batch)
            print(f"{now:%Y-%m-%d %H:%M:%S} UTC {result}", flush=True)
            if not args.loop:
                return 0
            time.sleep(args.interval or DEFAULT_INTERVAL)
    finally:
        db.close()


def cmd_calendar_export(args: argparse.Namespace) -> int:
    from datetime import time as day_time
    from datetime import timedelta

    from thera_analytics.service import ical

    db = _open(args.db)
    try:
        zone = db.zone
        start = (datetime.combine(args.start, day_time(), tzinfo=zone)
                 if args.start else None)
        end = (datetime.combine(args.end + timedelta(days=1), day_time(), tzinfo=zone)
               if args.end else None)
        now = system_clock()
        if args.clinician is not None:
            data = ical.clinician_calendar(db, CLI_ACTOR, args.clinician, now, start=start,
                                           end=end)
        else:
            data = ical.client_calendar(db, CLI_ACTOR, args.client, now, start=start, end=end)
    finally:
        db.close()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(data)
    n = data.count(b"BEGIN:VEVENT")
    print(f"Wrote {n} event{'' if n == 1 else 's'} to {args.out}", file=sys.stderr)
    return 0
