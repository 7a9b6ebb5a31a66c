"""``Database`` on PostgreSQL: what differs from the DuckDB file is how it connects, how it
reports two writers meeting, and that several processes may open it at once."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
from psycopg import errors as pg_errors

from thera_analytics.domain.errors import PracticeError
from thera_analytics.store.database import Database, WriteConflict, register_engine
from thera_analytics.store.postgres import Connections, PgCursor, is_postgres_url, redact

# Any number both engines agree on: the lock every process takes to migrate the schema.
MIGRATION_LOCK = 724_001

_inherited: list[object] = []  # a forked process's copies of its parent's connection pools

_CONFLICTS = (pg_errors.SerializationFailure, pg_errors.DeadlockDetected,
              pg_errors.LockNotAvailable)


class DatabaseUnavailable(PracticeError):
    """PostgreSQL could not be reached (down, restarting, refusing connections)."""


class PostgresDatabase(Database):
    """A practice in a PostgreSQL database, shared by every server process."""

    engine = "postgresql"

    def __init__(self, path: str | Path = "", *, read_only: bool = False) -> None:
        self.path = str(path)
        self.read_only = read_only
        self._zone = None
        self._pid = os.getpid()
        try:
            self._connections = Connections(self.path)
            self._connections.cursor()
        except Exception as exc:  # noqa: BLE001 - a pool that cannot connect times out
            raise DatabaseUnavailable(
                f"db: cannot connect to {self.label}: {_reason(exc)}") from None
        import threading

        self._write_lock = threading.RLock()
        if not read_only:
            self.migrate()

    @property
    def label(self) -> str:
        return redact(self.path)

    def _after_fork(self) -> None:
        """In a forked server process: connections of its own. The parent's are left alone,
        never closed here (closing would end them for the parent too) and never collected."""
        _inherited.append(self._connections)
        self._connections = Connections(self.path)
        self._pid = os.getpid()

    def cursor(self) -> PgCursor:  # type: ignore[override]
        if self._pid != os.getpid():
            self._after_fork()
        try:
            return self._connections.cursor()
        except Exception as exc:  # noqa: BLE001 - pool timeouts and refused connections
            raise DatabaseUnavailable(
                f"db: cannot reach {self.label}: {_reason(exc)}") from None

    def close(self) -> None:
        self._connections.close()

    def transaction(self) -> Any:
        # PostgreSQL's row locks and the version checks order writers, across processes too;
        # the in-process turn-taking the DuckDB file needs would only serialise this process.
        from contextlib import contextmanager

        return contextmanager(self._transaction)()

    def _transaction(self) -> Iterator[Any]:
        cur = self.cursor()
        try:
            cur.execute("BEGIN")
        except psycopg.OperationalError as exc:
            raise DatabaseUnavailable(f"db: cannot reach {self.label}: {_reason(exc)}") from None
        try:
            yield cur
            cur.execute("COMMIT")
        except BaseException as exc:
            try:
                cur.execute("ROLLBACK")
            except psycopg.Error:
                pass  # the connection is gone; the server rolled the transaction back
            if isinstance(exc, _CONFLICTS):
                raise WriteConflict(
                    "someone else saved the same record at the same moment; reload and try again"
                ) from exc
            if isinstance(exc, psycopg.OperationalError):
                raise DatabaseUnavailable(
                    f"db: the connection to {self.label} was lost; nothing was saved, try "
                    "again") from exc
            raise

    def migrate(self) -> list[int]:
        """Apply pending migrations; one process at a time (every server process migrates)."""
        cur = self.cursor()
        cur.execute("SELECT pg_advisory_lock(?)", [MIGRATION_LOCK])
        try:
            return super().migrate()
        finally:
            cur.execute("SELECT pg_advisory_unlock(?)", [MIGRATION_LOCK])

    def snapshot(self, target: str | Path) -> Path:
        """Copy the practice, as it stands at one instant, into a new DuckDB file."""
        from thera_analytics.store.copying import copy_practice

        target = Path(target)
        for stale in (target, Path(f"{target}.wal")):
            stale.unlink(missing_ok=True)
        copy_practice(self, target, checksums=False)
        return target


def _reason(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


register_engine(is_postgres_url, PostgresDatabase)
