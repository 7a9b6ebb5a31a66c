"""The practice on PostgreSQL: the same schema, statements and rules as on DuckDB.

A practice that outgrows one server process keeps its records in PostgreSQL (``--db
postgresql://...``), which many processes share. The statements the use cases run are written
once, in the SQL both engines speak; the few differences stay here:

- parameters: DuckDB's ``?`` becomes psycopg's ``%s`` (and a literal ``%`` is doubled);
- a statement without a result (``UPDATE``) answers ``fetchone()`` with its row count, as
  DuckDB does, so a version check reads the same on both engines;
- JSON comes back as text, as DuckDB returns it;
- the errors of two writers meeting (serialization failures, deadlocks) become the same
  ``WriteConflict`` the DuckDB store raises.

Connections come from a psycopg pool; each thread keeps the one it took (as each thread keeps
its DuckDB cursor), and a connection the server dropped is replaced on the next use.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import pandas as pd
import psycopg
from psycopg.adapt import Loader
from psycopg_pool import ConnectionPool

URL_PREFIXES = ("postgresql://", "postgres://")


def is_postgres_url(target: object) -> bool:
    """Does ``--db`` name a PostgreSQL database rather than a DuckDB file?"""
    return isinstance(target, str) and target.startswith(URL_PREFIXES)


def redact(url: str) -> str:
    """The URL without its password, for messages and logs."""
    return re.sub(r"(://[^:/@]+):[^@/]*@", r"\1:***@", url)


_QUOTED_OR_MARK = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"])*\"|--[^\n]*|\$\d+|\?|%")


@lru_cache(maxsize=2048)
def to_pyformat(sql: str) -> str:
    """DuckDB's placeholders as psycopg's: ``?`` as ``%s``, ``$n`` as ``%(pn)s`` (a parameter
    used twice); a literal ``%`` doubled; quoted text and comments left alone."""

    def swap(m: re.Match[str]) -> str:
        token = m.group(0)
        if token == "?":
            return "%s"
        if token == "%":
            return "%%"
        if token.startswith("$"):
            return f"%(p{token[1:]})s"
        if token.startswith("'"):
            return token.replace("%", "%%")
        return token

    return _QUOTED_OR_MARK.sub(swap, sql)


def bind(sql: str, params: Sequence[Any]) -> tuple[str, Sequence[Any] | dict[str, Any]]:
    """The statement and its parameters as psycopg takes them."""
    text = to_pyformat(sql)
    if "%(p" in text:
        return text, {f"p{i}": value for i, value in enumerate(params, start=1)}
    return text, list(params)


class _JsonAsText(Loader):
    """JSON values as the text stored, as DuckDB hands them back."""

    def load(self, data: Any) -> str:
        return bytes(data).decode("utf-8")


class PgCursor:
    """A cursor with the part of DuckDB's connection API the store and use cases use."""

    def __init__(self, conn: psycopg.Connection[Any]) -> None:
        self.connection = conn
        self._cur = conn.cursor()
        self._count: tuple[int] | None = None

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> PgCursor:
        self._count = None
        if params:
            self._cur.execute(*bind(sql, params))
        else:
            self._cur.execute(sql)  # may hold several statements (migrations)
        if self._cur.description is None:
            self._count = (self._cur.rowcount,)
        return self

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> PgCursor:
        self._count = None
        self._cur.executemany(to_pyformat(sql), [list(r) for r in rows])
        return self

    @property
    def description(self) -> list[tuple[Any, ...]] | None:
        if self._cur.description is None:
            return None
        return [(d.name, d.type_code, None, None, None, None, None)
                for d in self._cur.description]

    def fetchone(self) -> tuple[Any, ...] | None:
        if self._cur.description is None:
            count, self._count = self._count, None
            return count
        return self._cur.fetchone()

    def fetchall(self) -> list[tuple[Any, ...]]:
        if self._cur.description is None:
            count, self._count = self._count, None
            return [count] if count is not None else []
        return self._cur.fetchall()

    def df(self) -> pd.DataFrame:
        columns = [d.name for d in self._cur.description or []]
        frame = pd.DataFrame(self._cur.fetchall(), columns=columns)
        return frame

    def close(self) -> None:
        self._cur.close()


def _configure(conn: psycopg.Connection[Any]) -> None:
    conn.adapters.register_loader("json", _JsonAsText)
    conn.adapters.register_loader("jsonb", _JsonAsText)
    conn.execute("SET TimeZone = 'UTC'")


class Connections:
    """A pool of autocommit connections; each thread keeps the one it took."""

    def __init__(self, url: str, *, max_size: int = 20, timeout: float = 30.0) -> None:
        self.url = url
        self._pool: ConnectionPool[Any] = ConnectionPool(
            url, min_size=1, max_size=max_size, timeout=timeout, open=True,
            kwargs={"autocommit": True}, configure=_configure, name="thera",
        )
        self._local = threading.local()
        self._taken: list[psycopg.Connection[Any]] = []
        self._lock = threading.Lock()

    def cursor(self) -> PgCursor:
        """This thread's cursor, on a live connection."""
        cur: PgCursor | None = getattr(self._local, "cursor", None)
        if cur is not None and not cur.connection.broken and not cur.connection.closed:
            return cur
        if cur is not None:
            self._give_back(cur.connection)
        conn = self._pool.getconn()
        with self._lock:
            self._taken.append(conn)
        cur = PgCursor(conn)
        self._local.cursor = cur
        return cur

    def _give_back(self, conn: psycopg.Connection[Any]) -> None:
        with self._lock:
            if conn in self._taken:
                self._taken.remove(conn)
        self._pool.putconn(conn)

    def close(self) -> None:
        with self._lock:
            taken, self._taken = self._taken, []
        for conn in taken:
            try:
                self._pool.putconn(conn)
            except Exception:  # noqa: BLE001 - closing anyway
                pass
        self._pool.close()
