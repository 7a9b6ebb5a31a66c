"""Copying a whole practice between engines, through Arrow.

- ``copy_practice(source, target)`` copies every table of a practice, with its sequences, into
  a new database: a DuckDB file or a PostgreSQL database (``thera move``). It is all or nothing:
  the target is written in one transaction (a DuckDB file is written beside its name and renamed
  into place), so a refused or interrupted copy leaves the target empty.
- Analysts' snapshots of a PostgreSQL practice are this copy into a DuckDB file.

The source is read in one ``REPEATABLE READ`` transaction (PostgreSQL) or one read transaction
(DuckDB), so the copy is the practice as it stood at one instant while writes go on. Rows
travel as Arrow record batches: the ADBC PostgreSQL driver streams them out of and into
PostgreSQL with binary COPY, and DuckDB scans and produces them natively.
"""

from __future__ import annotations

import hashlib
import time
from abc import ABC, abstractmethod
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa

from thera_analytics.domain.errors import PracticeError, ValidationError
from thera_analytics.store.database import Database
from thera_analytics.store.postgres import is_postgres_url, redact

# Parents before children, so foreign keys hold as rows arrive.
TABLES = (
    "practice", "clinicians", "clients", "services", "third_parties", "users", "series",
    "events", "event_clients", "event_team_members", "event_third_parties", "reminders",
    "plans", "outcomes", "amendments", "comments", "audit_log", "notifications",
    "cancellation_reasons", "cancellations",
)
# Rows a migration seeds (the default reasons): the copy replaces them with the source's.
SEEDED_TABLES = ("cancellation_reasons",)
# Written from the domain's enums each time a database opens for writing: not copied.
REFERENCE_TABLES = ("event_kinds", "attendance_values", "age_buckets")


@dataclass(frozen=True)
class TableCopy:
    table: str
    rows: int
    checksum: str
    columns: tuple[str, ...] = ()


@dataclass
class CopyReport:
    """What a copy wrote: rows and a checksum per table, sequences carried, time taken."""

    source: str
    target: str
    tables: list[TableCopy] = field(default_factory=list)
    sequences: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def rows(self) -> int:
        return sum(t.rows for t in self.tables)

    def lines(self) -> list[str]:
        out = [f"{'table':<22} {'rows':>10}  checksum"]
        out += [f"{t.table:<22} {t.rows:>10,}  {t.checksum}" for t in self.tables]
        return out


@contextmanager
def _driver_errors() -> Iterator[None]:
    """The drivers' own errors as refusals the command line reports in one line."""
    import adbc_driver_manager

    try:
        yield
    except adbc_driver_manager.Error as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise PracticeError(f"move: the copy failed and the target was left empty: {first}") \
            from None


def practice_tables(db: Database) -> list[str]:
    """The practice's tables in copy order (any table a later migration adds comes last)."""
    names = {r[0] for r in db.cursor().execute(
        "SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE'"
        " AND table_schema = current_schema()").fetchall()}
    extra = sorted(names - set(TABLES) - set(REFERENCE_TABLES) - {"schema_migrations"})
    return [t for t in TABLES if t in names] + extra


def _columns(db: Database, table: str) -> list[str]:
    return [r[0] for r in db.cursor().execute(
        "SELECT column_name FROM information_schema.columns WHERE table_schema ="
        " current_schema() AND table_name = ? ORDER BY ordinal_position", [table]).fetchall()]


def table_checksum(batches: pa.Table) -> str:
    """A digest of a table's rows, the same whichever engine they were read from."""
    digest = hashlib.sha256()
    rows = batches.to_pylist()
    for text in sorted(repr(tuple(_canonical(v) for v in row.values())) for row in rows):
        digest.update(text.encode("utf-8"))
    return digest.hexdigest()[:16]


def _canonical(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


# -- reading --------------------------------------------------------------------------------------
class _Reader:
    """Reads whole tables as Arrow from one consistent read of the source."""

    def __init__(self, source: Database) -> None:
        self.source = source

    @contextmanager
    def consistent(self) -> Iterator[_Reader]:
        if self.source.engine == "postgresql":
            import adbc_driver_postgresql.dbapi as adbc

            self._conn = adbc.connect(self.source.path)
            self._cur = self._conn.cursor()
            try:
                self._cur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
                yield self
            finally:
                self._conn.rollback()
                self._cur.close()
                self._conn.close()
        else:
            self._duck = self.source.cursor()
            self._duck.execute("BEGIN TRANSACTION")
            try:
                yield self
            finally:
                self._duck.execute("ROLLBACK")

    def table(self, name: str, columns: list[str]) -> pa.Table:
        cols = ", ".join(f'"{c}"' for c in columns)
        sql = f'SELECT {cols} FROM "{name}"'
        if self.source.engine == "postgresql":
            self._cur.execute(sql)
            return _plain(self._cur.fetch_arrow_table())
        return _plain(self._duck.sql(sql).to_arrow_table())

    def sequences(self) -> dict[str, int]:
        """Each sequence's next value."""
        if self.source.engine == "postgresql":
            self._cur.execute("SELECT sequencename FROM pg_sequences"
                              " WHERE schemaname = current_schema()")
            found = {}
            for (name,) in self._cur.fetchall():
                # pg_sequences shows no last value for a sequence set but not yet used.
                self._cur.execute(f'SELECT last_value, is_called FROM "{name}"')
                last, called = self._cur.fetchone()
                found[str(name)] = int(last) + 1 if called else int(last)
            return found
        rows = self._duck.execute(
            "SELECT sequence_name, COALESCE(last_value, start_value - 1) + 1 FROM"
            " duckdb_sequences() WHERE schema_name = current_schema()"
            " AND database_name = current_database()").fetchall()
        return {str(n): int(v) for n, v in rows}


def verify_copy(report: CopyReport, target: Database) -> list[tuple[str, str, str]]:
    """Read every copied table back from ``target``: (table, copied, found) where they differ."""
    reader = _Reader(target)
    mismatches = []
    with reader.consistent():
        for copied in report.tables:
            data = reader.table(copied.table, list(copied.columns))
            found = TableCopy(copied.table, data.num_rows, table_checksum(data))
            if (found.rows, found.checksum) != (copied.rows, copied.checksum):
                mismatches.append((copied.table, f"{copied.rows} rows ({copied.checksum})",
                                   f"{found.rows} rows ({found.checksum})"))
    return mismatches


def _plain(table: pa.Table) -> pa.Table:
    """Drop extension types and metadata (ADBC marks JSON and PostgreSQL type names)."""
    fields = []
    arrays = []
    for name, column in zip(table.column_names, table.columns, strict=True):
        if isinstance(column.type, pa.ExtensionType):
            column = pa.chunked_array([c.storage for c in column.chunks], column.type.storage_type)
        if pa.types.is_dictionary(column.type):
            column = column.cast(column.type.value_type)
        fields.append(pa.field(name, column.type))
        arrays.append(column)
    return pa.Table.from_arrays(arrays, schema=pa.schema(fields))


# -- writing --------------------------------------------------------------------------------------
def copy_practice(source: Database, target: str | Path, *,
                  strip_passwords: bool = False, checksums: bool = True) -> CopyReport:
    """Copy every table of ``source`` into ``target`` (a new DuckDB file or an empty
    PostgreSQL database); all or nothing. Returns rows and checksums per table.

    ``checksums=False`` (the analyst snapshot, which nobody compares) leaves the checksums
    empty: digesting every row in Python took about half of a snapshot's time."""
    started = time.perf_counter()
    target_text = str(target)
    report = CopyReport(source.label, redact(target_text))
    if is_postgres_url(target_text):
        writer: _Writer = _PostgresWriter(target_text)
    else:
        writer = _DuckDBWriter(Path(target_text))
    reader = _Reader(source)
    with _driver_errors(), writer, reader.consistent():
        for table in practice_tables(source):
            wanted = writer.columns(table)
            columns = [c for c in _columns(source, table) if c in wanted]
            data = reader.table(table, columns)
            if strip_passwords and table == "users":
                data = data.set_column(data.column_names.index("password_hash"),
                                       "password_hash", pa.array(["!"] * data.num_rows))
            if table in SEEDED_TABLES:
                writer.clear(table)
            writer.write(table, data)
            report.tables.append(TableCopy(table, data.num_rows,
                                           table_checksum(data) if checksums else "",
                                           tuple(columns)))
        report.sequences = reader.sequences()
        writer.sequences(report.sequences)
        writer.commit()
    report.seconds = time.perf_counter() - started
    return report


class _Writer(ABC):
    """Where a copy goes: its migrated database (``db``) and how rows are written into it."""

    db: Database
    cur: Any  # the target's cursor: DuckDB's, or an ADBC cursor on PostgreSQL

    def __enter__(self) -> _Writer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close(failed=exc[0] is not None)

    def columns(self, table: str) -> set[str]:
        return set(_columns(self.db, table))

    @abstractmethod
    def write(self, table: str, data: pa.Table) -> None:
        """Add ``data``'s rows to ``table``."""

    def clear(self, table: str) -> None:
        """Remove the rows a migration seeded into ``table``."""
        self.cur.execute(f'DELETE FROM "{table}"')

    @abstractmethod
    def sequences(self, values: dict[str, int]) -> None:
        """Make each sequence hand out its given next value."""

    @abstractmethod
    def commit(self) -> None:
        """Make the copy final."""

    @abstractmethod
    def close(self, failed: bool) -> None:
        """Release the target; an unfinished copy leaves it empty."""


class _DuckDBWriter(_Writer):
    """A new DuckDB file, written beside its name and renamed into place when complete (the
    rename, not a transaction, makes it all or nothing: each table's rows are freed once
    written)."""

    def __init__(self, target: Path) -> None:
        if target.exists():
            raise ValidationError("to", f"{target} already exists; choose a new file")
        self.target = target
        target.parent.mkdir(parents=True, exist_ok=True)
        self.work = target.with_name(target.name + ".work")
        for stale in (self.work, Path(f"{self.work}.wal")):
            stale.unlink(missing_ok=True)
        self.db = Database(self.work)
        self.cur = self.db.cursor()
        self._done = False

    def write(self, table: str, data: pa.Table) -> None:
        if data.num_rows == 0:
            return
        names = ", ".join(f'"{c}"' for c in data.column_names)
        # ADBC hands PostgreSQL's rows over in many small batches: DuckDB inserts one long
        # chunk per column about twice as fast.
        self.cur.register("thera_copy_rows", data.combine_chunks())
        try:
            self.cur.execute(
                f'INSERT INTO "{table}" ({names}) SELECT {names} FROM thera_copy_rows')
        finally:
            self.cur.unregister("thera_copy_rows")

    def sequences(self, values: dict[str, int]) -> None:
        for name, next_value in values.items():
            if name.replace("_", "").isalnum():
                self.cur.execute(f'CREATE OR REPLACE SEQUENCE "{name}" START {int(next_value)}')

    def commit(self) -> None:
        self._done = True

    def close(self, failed: bool) -> None:
        self.db.close()
        if self._done and not failed:
            self.work.replace(self.target)
        else:
            for leftover in (self.work, Path(f"{self.work}.wal")):
                leftover.unlink(missing_ok=True)


class _PostgresWriter(_Writer):
    """An empty PostgreSQL database (migrated here), written in one transaction."""

    def __init__(self, url: str) -> None:
        import adbc_driver_postgresql.dbapi as adbc

        self.db = Database(url)  # the schema, migrated
        busy = [t for t in TABLES if t not in SEEDED_TABLES and t in practice_tables(self.db)
                and self.db.cursor().execute(f'SELECT 1 FROM "{t}" LIMIT 1').fetchone()]
        if busy:
            self.db.close()
            raise ValidationError(
                "to", f"{redact(url)} already holds a practice ({', '.join(busy)} not empty);"
                " move into an empty database")
        self.conn = adbc.connect(url)
        self.cur = self.conn.cursor()
        self._done = False

    def write(self, table: str, data: pa.Table) -> None:
        if data.num_rows == 0:
            return
        # Enum columns take their labels as text: the rows land in a temporary table by binary
        # COPY, and one INSERT casts them into the real table.
        staging = f"thera_move_{table}"
        self.cur.adbc_ingest(staging, data, mode="create", temporary=True)
        names = ", ".join(f'"{c}"' for c in data.column_names)
        casts = ", ".join(f'CAST("{c}" AS {t})' for c, t in self._target_types(table, data))
        self.cur.execute(f'INSERT INTO "{table}" ({names}) SELECT {casts} FROM "{staging}"')
        self.cur.execute(f'DROP TABLE "{staging}"')

    def _target_types(self, table: str, data: pa.Table) -> list[tuple[str, str]]:
        rows = self.db.cursor().execute(
            "SELECT column_name, udt_name FROM information_schema.columns WHERE table_schema ="
            " current_schema() AND table_name = ?", [table]).fetchall()
        types = {str(n): str(t) for n, t in rows}
        return [(c, f'"{types[c]}"') for c in data.column_names]

    def sequences(self, values: dict[str, int]) -> None:
        for name, next_value in values.items():
            self.cur.execute("SELECT setval(CAST($1 AS regclass), $2, false)",
                             parameters=(name, int(next_value)))

    def commit(self) -> None:
        self.conn.commit()
        self._done = True

    def close(self, failed: bool) -> None:
        if not self._done:
            try:
                self.conn.rollback()
            except Exception:  # noqa: BLE001 - the connection may be gone
                pass
        self.cur.close()
        self.conn.close()
        self.db.close()
