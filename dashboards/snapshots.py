"""The analyst snapshot inside ``thera serve``: a consistent copy of the practice file, kept fresh.

DuckDB lets only the server's process open the practice file, so the server writes
``<name>.snapshot.duckdb`` beside it (``reports.source.take_snapshot``) when it starts, every
``interval`` seconds (default five minutes, or ``THERA_SNAPSHOT_MINUTES``), and when a manager
presses "Refresh analyst snapshot" on /practice. ``reports.open_for_reading`` falls back to it
and says how old it is. A thread (``dashboards.periodic``), like the reminder loop: the copy
takes up to a second on a large practice and must not hold the server's event loop.
"""

from __future__ import annotations

import logging
import os
from datetime import UTC, datetime
from pathlib import Path

from dashboards.periodic import PerDatabase, PeriodicTask
from thera_analytics.reports.source import SnapshotInfo, snapshot_path, take_snapshot
from thera_analytics.store.database import Database

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

    def __init__(self, db: Database, db_path: str | Path, interval: float) -> None:
        super().__init__(interval, thread_name="thera-snapshots", log=log,
                         closed_message="snapshot loop stopped: the database was closed",
                         failed_message="analyst snapshot failed; trying again in %.0f s")
        self.db = db
        self.target = snapshot_path(db_path)
        self.last: SnapshotInfo | None = None
        self.error: str | None = None

    def run_once(self) -> SnapshotInfo:
        """Write one snapshot now (what the thread does every interval; the refresh button too)."""
        try:
            info = take_snapshot(self.db, self.target, refresh_seconds=self.interval)
        except Exception as exc:
            self.error = str(exc)
            raise
        self.last, self.error = info, None
        log.info("analyst snapshot %s written in %.2f s", info.path.name, info.seconds)
        return info


_loops: PerDatabase[SnapshotLoop] = PerDatabase()


def start_snapshot_loop(db: Database, db_path: str | Path | None = None,
                        interval: float | None = None) -> SnapshotLoop:
    """Keep ``<db>.snapshot.duckdb`` fresh beside the practice file while the server runs."""
    if db_path is None:
        db_path = db.path
    loop = SnapshotLoop(db, db_path, default_interval() if interval is None else interval)
    return _loops.start(db, loop)


def stop_snapshot_loop(db: Database, timeout: float = 30.0) -> None:
    """Stop the loop started for ``db`` (before the database is closed)."""
    _loops.stop(db, timeout)


def snapshot_loop(db: Database) -> SnapshotLoop | None:
    """The loop running for ``db`` in this process, if any."""
    return _loops.get(db)


_taken: dict[int, SnapshotInfo] = {}  # snapshots written without a loop, by database


def refresh_snapshot(db: Database) -> SnapshotInfo:
    """Write the snapshot now: through the running loop (so it records it), else directly."""
    loop = snapshot_loop(db)
    if loop is not None:
        return loop.run_once()
    info = take_snapshot(db, snapshot_path(db.path))
    _taken[id(db)] = info
    return info


def last_snapshot_time(db: Database) -> datetime | None:
    """When the newest snapshot of ``db`` was taken (UTC), if there is one."""
    loop = snapshot_loop(db)
    infos = [i for i in (loop.last if loop else None, _taken.get(id(db))) if i is not None]
    if infos:
        return max(i.taken_at for i in infos)
    if db.path == ":memory:":
        return None
    path = snapshot_path(db.path)
    if not path.exists():
        return None
    try:  # written by an earlier server: its file's time is when it was renamed into place
        return datetime.fromtimestamp(path.stat().st_mtime, UTC)
    except OSError:
        return None
