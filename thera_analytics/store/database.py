"""One practice database: open (migrating forward), transactions, read snapshots.

``Database(target)`` opens a DuckDB file (the embedded default, or ``":memory:"``) or, given a
``postgresql://`` URL, the same practice on PostgreSQL (``store.postgres``). Both run the same
numbered migrations and statements; callers never ask which engine they have.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import duckdb
import pandas as pd

from thera_analytics.domain.errors import PracticeError, ValidationError
from thera_analytics.domain.local_time import practice_zone
from thera_analytics.store import derived, history, reference
from thera_analytics.store.sql import migrations, query

Cursor = duckdb.DuckDBPyConnection

# Work a schema migration needs done on the rows that exist, in its transaction.
_DATA_STEPS: dict[int, Callable[[Cursor], object]] = {
    5: derived.backfill, 6: derived.rederive_completion, 8: history.rebuild,
    10: history.rebuild_first_visits}


# Other engines a ``Database(target)`` may open: (does this target name it?, its class).
# ``store.postgres_database`` registers PostgreSQL when the store package is imported.
_ENGINES: list[tuple[Callable[[object], bool], type[Database]]] = []


def register_engine(matches: Callable[[object], bool], engine: type[Database]) -> None:
    """Open targets ``matches`` accepts with ``engine`` instead of a DuckDB file."""
    _ENGINES.append((matches, engine))


class WriteConflict(PracticeError):
    """Two transactions changed the same rows at once; the later one was rolled back."""


class DatabaseBusy(PracticeError):
    """The database file is held by another process (usually the running server)."""


class Database:
    """A practice's DuckDB database.

    DuckDB lets one process hold a file read-write; threads in that process share it through
    per-thread cursors. Analysts beside a running server read a snapshot (see ``snapshot``).
    """

    engine = "duckdb"

    def __new__(cls, path: str | Path = ":memory:", *args: Any, **kwargs: Any) -> Database:
        if cls is Database:
            for matches, engine in _ENGINES:
                if matches(path):
                    return super().__new__(engine)
        return super().__new__(cls)

    def __init__(self, path: str | Path = ":memory:", *, read_only: bool = False) -> None:
        self.path = str(path)
        self.read_only = read_only
        try:
            self._root = duckdb.connect(self.path, read_only=read_only)
        except duckdb.IOException as exc:
            if "lock" in str(exc).lower():
                raise DatabaseBusy(
                    f"{self.path} is open in another process (is `thera serve` running?). "
                    "Reports and notebooks read the snapshot the server keeps beside the file "
                    "(see docs/analysts.md)"
                ) from None
            raise PracticeError(f"db: cannot open {self.path}: {exc}") from None
        except duckdb.Error as exc:
            raise PracticeError(f"db: cannot open {self.path}: {exc}") from None
        self._local = threading.local()
        self._write_lock = threading.RLock()
        if not read_only:
            self.migrate()
        self._zone: ZoneInfo | None = None

    # -- connections -----------------------------------------------------------------------
    def cursor(self) -> Cursor:
        """This thread's cursor (DuckDB connections are not shared across threads)."""
        cur = getattr(self._local, "cursor", None)
        if cur is None:
            cur = self._root.cursor()
            cur.execute("SET TimeZone = 'UTC'")
            self._local.cursor = cur
        return cur

    def close(self) -> None:
        self._root.close()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[Cursor]:
        """One use case = one transaction: everything or nothing is written.

        Writers in this process take turns (DuckDB lets only this process write the file), so
        of two saves of one record the second reads the first's result and is refused by its
        version check, instead of both failing on DuckDB's write-write conflict.
        """
        with self._write_lock:
            yield from self._transaction()

    @property
    def label(self) -> str:
        """The database as messages name it (a file, or a URL without its password)."""
        return self.path

    def _transaction(self) -> Iterator[Cursor]:
        cur = self.cursor()
        cur.execute("BEGIN TRANSACTION")
        try:
            yield cur
            cur.execute("COMMIT")
        except BaseException as exc:
            try:
                cur.execute("ROLLBACK")
            except duckdb.Error:
                pass  # the transaction is already aborted
            if isinstance(exc, duckdb.TransactionException):
                raise WriteConflict(
                    "someone else saved the same record at the same moment; reload and try again"
                ) from exc
            raise

    # -- schema ----------------------------------------------------------------------------
    def migrate(self) -> list[int]:
        """Apply every migration not yet recorded, each in its own transaction."""
        cur = self.cursor()
        cur.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            " version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMPTZ NOT NULL)"
        )
        done = {r[0] for r in cur.execute("SELECT version FROM schema_migrations").fetchall()}
        applied = []
        for version, name, sql in migrations(self.engine):
            if version in done:
                continue
            with self.transaction() as tx:
                tx.execute(sql)
                if version in _DATA_STEPS:
                    _DATA_STEPS[version](tx)
                tx.execute(
                    "INSERT INTO schema_migrations VALUES (?, ?, ?)",
                    [version, name, datetime.now(UTC)],
                )
            applied.append(version)
        with self.transaction() as tx:
            reference.sync(tx)
        return applied

    def schema_version(self) -> int:
        row = self.cursor().execute("SELECT max(version) FROM schema_migrations").fetchone()
        return int(row[0]) if row and row[0] is not None else 0

    # -- practice --------------------------------------------------------------------------
    @property
    def zone(self) -> ZoneInfo:
        """The practice's IANA time zone."""
        if self._zone is None:
            row = self.cursor().execute("SELECT time_zone FROM practice WHERE id = 1").fetchone()
            if row is None:
                raise PracticeError("this database has no practice yet: run `thera init` first")
            self._zone = practice_zone(row[0])
        return self._zone

    def init_practice(self, name: str, time_zone: str, now: datetime) -> None:
        """Create the practice row (once)."""
        practice_zone(time_zone)
        if not name.strip():
            raise ValidationError("name", "the practice needs a name")
        with self.transaction() as cur:
            if cur.execute("SELECT 1 FROM practice").fetchone():
                raise ValidationError("practice", "this database already has a practice")
            cur.execute("INSERT INTO practice VALUES (1, ?, ?, ?)", [name.strip(), time_zone, now])
        self._zone = None

    # -- queries ---------------------------------------------------------------------------
    def df(self, sql: str, params: list[Any] | tuple[Any, ...] | None = None) -> pd.DataFrame:
        """Run SQL and hand the result to pandas (columnar, not Python tuples)."""
        return self.cursor().execute(sql, params or []).df()

    def query(self, name: str, package: str = "thera_analytics.store") -> str:
        """The text of a packaged named query, in this engine's SQL."""
        return query(name, package, self.engine)

    def named(self, name: str, params: list[Any] | tuple[Any, ...] | None = None,
              package: str = "thera_analytics.store") -> pd.DataFrame:
        """Run a packaged named query into a DataFrame."""
        return self.df(self.query(name, package), params)

    # -- snapshots -------------------------------------------------------------------------
    def snapshot(self, target: str | Path) -> Path:
        """Copy a consistent snapshot of the whole database to ``target`` (atomic rename)."""
        target = Path(target)
        tmp = target.with_name(target.name + ".tmp")
        for p in (tmp, Path(str(tmp) + ".wal")):
            p.unlink(missing_ok=True)
        cur = self.cursor()
        live = cur.execute("SELECT current_database()").fetchone()[0]  # type: ignore[index]
        cur.execute(f"ATTACH '{_sql_path(tmp)}' AS thera_snapshot")
        try:
            cur.execute(f'COPY FROM DATABASE "{live}" TO thera_snapshot')
        finally:
            cur.execute("DETACH thera_snapshot")
        tmp.replace(target)
        return target


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")
