"""The analyst snapshot inside ``thera serve``: a consistent copy of the practice file, kept fresh.

DuckDB lets only the server's process open the practice file, so the server writes
``<name>.snapshot.duckdb`` beside it (``reports.source.take_snapshot``) when it starts, every
``interval`` seconds (default five minutes, or ``THERA_SNAPSHOT_MINUTES``), and when a manager
presses "Refresh analyst snapshot" on /practice. ``reports.open_for_reading`` falls back to it
and says how old it is. A thread (``thera_app.periodic``), like the reminder loop: the copy
takes up to a second on a large practice and must not hold the server's event loop.
"""

from __future__ import annotations

import logging
import os

from thera_analytics.reports.analyst_snapshot import refresh_snapshot
from thera_analytics.reports.source import SnapshotInfo
from thera_analytics.store.database import Database
from thera_app.periodic import PerDatabase, PeriodicTask

log = logging.getLogger(__name__)

DEFAULT_MINUTES = 5.0
MINUTES_ENV = "THERA_SNAPSHOT_MINUTES"


def default_interval() -> float:
    """Seconds between snapshots: ``THERA_SNAPSHOT_MINUTES`` (a number > 0), else five minutes."""
    text = os.environ.get(MINUTES_ENV, "").strip()
    try:
        minutes = float(text) if text else DEFAULT_MINUTES
    except ValueError:
        log.error("%s=%r is not a number of minutes; using %s", MINUTES_ENV, text,
                  DEFAULT_MINUTES)
        minutes = DEFAULT_MINUTES
    if minutes <= 0:
        log.error("%s must be more than 0; using %s", MINUTES_ENV, DEFAULT_MINUTES)
        minutes = DEFAULT_MINUTES
    return minutes * 60


class SnapshotLoop(PeriodicTask):
    """Writes the snapshot now and then every ``interval`` seconds until stopped (or closed).

    ``stop`` waits for the snapshot in progress, if any.
    """

    stop_timeout = 30.0

    def __init__(self, db: Database, interval: float) -> None:
        super().__init__(interval, thread_name="thera-snapshots", log=log,
                         closed_message="snapshot loop stopped: the database was closed",
                         failed_message="analyst snapshot failed; trying again in %.0f s")
        self.db = db
        self.last: SnapshotInfo | None = None
        self.error: str | None = None

    def run_once(self) -> SnapshotInfo:
        """Write one snapshot now (what the thread does every interval; the refresh button too)."""
        try:
            info = refresh_snapshot(self.db, refresh_seconds=self.interval)
        except Exception as exc:
            self.error = str(exc)
            raise
        self.last, self.error = info, None
        log.info("analyst snapshot %s written in %.2f s", info.path.name, info.seconds)
        return info


_loops: PerDatabase[SnapshotLoop] = PerDatabase()


def start_snapshot_loop(db: Database, interval: float | None = None) -> SnapshotLoop:
    """Keep ``<db>.snapshot.duckdb`` fresh beside the practice file while the server runs."""
    loop = SnapshotLoop(db, default_interval() if interval is None else interval)
    return _loops.start(db, loop)


def stop_snapshot_loop(db: Database, timeout: float = 30.0) -> None:
    """Stop the loop started for ``db`` (before the database is closed)."""
    _loops.stop(db, timeout)


def snapshot_loop(db: Database) -> SnapshotLoop | None:
    """The loop running for ``db`` in this process, if any."""
    return _loops.get(db)
