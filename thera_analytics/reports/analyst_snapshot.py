"""The analyst snapshot of an open practice: write it now, and when it was last written.

The server's background loop (``thera_app.snapshots``) and the manager's "Refresh analyst
snapshot" button both write it through ``refresh_snapshot``, so either knows when the other
last did.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from pathlib import Path

from thera_analytics.reports.source import SnapshotInfo, snapshot_path, take_snapshot
from thera_analytics.store.database import Database

_taken: dict[str, SnapshotInfo] = {}  # the newest snapshot written in this process, by file
_taken_lock = threading.Lock()


def _key(db: Database) -> str:
    return str(Path(db.path).resolve())


def refresh_snapshot(db: Database, *, refresh_seconds: float | None = None) -> SnapshotInfo:
    """Write the snapshot beside the practice file now, and remember when.

    Without ``refresh_seconds`` the snapshot says the same as the one before it about how often
    it is refreshed (a manager's refresh between two of the server's keeps the server's).
    """
    if refresh_seconds is None:
        with _taken_lock:
            before = _taken.get(_key(db))
        refresh_seconds = before.refresh_seconds if before else None
    info = take_snapshot(db, snapshot_path(db.path), refresh_seconds=refresh_seconds)
    with _taken_lock:
        newest = _taken.get(_key(db))
        if newest is None or info.taken_at > newest.taken_at:
            _taken[_key(db)] = info
    return info


def last_snapshot_time(db: Database) -> datetime | None:
    """When the newest snapshot of ``db`` was taken (UTC), if there is one."""
    if db.path == ":memory:":
        return None
    with _taken_lock:
        newest = _taken.get(_key(db))
    if newest is not None:
        return newest.taken_at
    path = snapshot_path(db.path)
    try:  # written by an earlier server: its file's time is when it was renamed into place
        return datetime.fromtimestamp(path.stat().st_mtime, UTC)
    except OSError:
        return None
