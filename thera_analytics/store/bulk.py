"""Bulk loading: a whole DataFrame into a table in one statement, and sequences moved past it.

Used by the sample generator and imports, where inserting row by row would take minutes.
Table and column names cannot be SQL parameters, so they are checked against the catalogue
before they are written into a statement.
"""

from __future__ import annotations

import re

import duckdb
import pandas as pd

Cursor = duckdb.DuckDBPyConnection

_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")


def table_columns(cur: Cursor, table: str) -> tuple[str, ...]:
    """The columns of a table (or view) in the current schema, in order; empty if none."""
    rows = cur.execute(
        "SELECT column_name FROM information_schema.columns"
        " WHERE table_schema = current_schema() AND table_catalog = current_database()"
        "   AND table_name = ? ORDER BY ordinal_position",
        [table],
    ).fetchall()
    return tuple(r[0] for r in rows)


def bulk_insert(cur: Cursor, table: str, df: pd.DataFrame) -> int:
    """Insert every row of ``df`` into ``table``, matching columns by name; return the count.

    Runs inside the caller's transaction. Columns the frame leaves out take their defaults;
    a view is listed in the catalogue too, and the database refuses the insert itself.
    """
    allowed = table_columns(cur, table)
    if not allowed or not _NAME.match(table):
        raise ValueError(f"bulk_insert: no table {table!r}")
    columns = [str(c) for c in df.columns]
    unknown = [c for c in columns if c not in allowed or not _NAME.match(c)]
    if unknown:
        raise ValueError(f"bulk_insert: {table} has no column(s) {unknown}")
    if len(set(columns)) != len(columns):
        raise ValueError(f"bulk_insert: repeated columns in the frame for {table}")
    if df.empty:
        return 0
    names = ", ".join(f'"{c}"' for c in columns)
    # DuckDB finds the frame by this local variable's name (a replacement scan). A frame
    # given to cur.register() instead stays referenced until the transaction ends even after
    # unregister(), so loading a large practice in one transaction would keep every frame.
    thera_bulk_frame = df  # noqa: F841 (read by DuckDB)
    cur.execute(f'INSERT INTO "{table}" ({names}) SELECT {names} FROM thera_bulk_frame')
    return len(df)


def restart_sequence(cur: Cursor, name: str, start: int) -> None:
    """Make the sequence ``name`` hand out ``start`` next (after rows were loaded with ids)."""
    if not _NAME.match(name):
        raise ValueError(f"restart_sequence: bad sequence name {name!r}")
    known = cur.execute(
        "SELECT 1 FROM duckdb_sequences() WHERE sequence_name = ?"
        " AND schema_name = current_schema() AND database_name = current_database()",
        [name],
    ).fetchone()
    if known is None:
        raise ValueError(f"restart_sequence: no sequence {name!r}")
    # DuckDB cannot ALTER a sequence's position; PostgreSQL would use
    # SELECT setval('name', start, false) instead of recreating it.
    cur.execute(f'CREATE OR REPLACE SEQUENCE "{name}" START {int(start)}')


def next_free_id(cur: Cursor, table: str) -> int:
    """One past the largest ``id`` in ``table`` (1 for an empty table)."""
    if not _NAME.match(table):  # a plain identifier, quoted: no catalogue round trip needed
        raise ValueError(f"next_free_id: bad table name {table!r}")
    row = cur.execute(f'SELECT COALESCE(max(id), 0) + 1 FROM "{table}"').fetchone()
    assert row is not None
    return int(row[0])
