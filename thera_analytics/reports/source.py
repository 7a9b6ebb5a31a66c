"""Where reports read from: a practice database opened for reading, and its packaged queries."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, Protocol
from zoneinfo import ZoneInfo

import duckdb
import pandas as pd

from thera_analytics.domain.errors import PracticeError, ValidationError
from thera_analytics.store.database import Database, DatabaseBusy
from thera_analytics.store.postgres import is_postgres_url, redact
from thera_analytics.store.sql import query

PACKAGE = "thera_analytics.reports"


class Source(Protocol):
    """Anything that runs SQL with ``?`` parameters into a DataFrame (``Database`` does)."""

    def df(self, sql: str, params: list[Any] | tuple[Any, ...] | None = None) -> pd.DataFrame:
        ...  # pragma: no cover


# -- the analyst snapshot ----------------------------------------------------------------------
# DuckDB lets one process hold a file read-write and no other process open it, even read-only.
# So the server writes a consistent copy beside the live file (at start, every few minutes and on
# demand) and readers fall back to it, stamped with the moment it was taken.

SNAPSHOT_INFO = "thera_snapshot_info"
"""The one-row table inside a snapshot saying when it was taken and of which file."""

_snapshot_lock = threading.Lock()


def snapshot_path(live: str | Path) -> Path:
    """Where the analyst snapshot of a practice lives: ``x.snapshot.duckdb`` beside
    ``x.duckdb``; for a PostgreSQL practice, ``data/<database>.snapshot.duckdb`` (the folder
    from ``THERA_SNAPSHOT_DIR`` if set)."""
    if is_postgres_url(str(live)):
        name = str(live).rsplit("/", 1)[-1].split("?", 1)[0] or "practice"
        return Path(os.environ.get("THERA_SNAPSHOT_DIR", "data")) / f"{name}.snapshot.duckdb"
    live = Path(live)
    return live.with_name(f"{live.stem}.snapshot{live.suffix or '.duckdb'}")


@dataclass(frozen=True)
class SnapshotInfo:
    """One snapshot written: where, when (the copy's consistent instant, UTC), how long it took."""

    path: Path
    taken_at: datetime
    seconds: float
    source: str
    refresh_seconds: float | None = None


def take_snapshot(db: Database, target: str | Path | None = None, *,
                  refresh_seconds: float | None = None) -> SnapshotInfo:
    """Write a consistent, stamped copy of ``db`` for analysts (default: beside its file).

    The copy is made by ``Database.snapshot`` (one read transaction, so writes go on meanwhile),
    stamped with ``SNAPSHOT_INFO`` and stripped of password hashes, then renamed over the old
    one at once: a reader opens either the old snapshot or the new one, never half of one.
    """
    if target is None:
        if db.path == ":memory:":
            raise ValidationError("target", "an in-memory database has no file to snapshot beside")
        target = snapshot_path(db.path)
    target = Path(target)
    work = target.with_name(target.name + ".work")
    with _snapshot_lock:
        started = time.perf_counter()
        taken_at = datetime.now(UTC)
        for stale in (work, Path(f"{work}.wal")):
            stale.unlink(missing_ok=True)
        db.snapshot(work)
        # Stamped through a connection of its own: the live practice may be PostgreSQL.
        stamp = duckdb.connect(str(work))
        try:
            # Analysts need the practice, not the staff's password hashes.
            stamp.execute("UPDATE users SET password_hash = '!'")
            stamp.execute(
                f"CREATE TABLE {SNAPSHOT_INFO} (taken_at TIMESTAMPTZ NOT NULL,"
                " taken_epoch DOUBLE NOT NULL, source VARCHAR NOT NULL, seconds DOUBLE NOT NULL,"
                " refresh_seconds DOUBLE)")
            seconds = time.perf_counter() - started
            stamp.execute(
                f"INSERT INTO {SNAPSHOT_INFO} VALUES (?, ?, ?, ?, ?)",
                [taken_at, taken_at.timestamp(), _source_name(db), seconds, refresh_seconds])
        finally:
            stamp.close()
        work.replace(target)
        seconds = time.perf_counter() - started
    return SnapshotInfo(target, taken_at, seconds, _source_name(db), refresh_seconds)


def _copy_for_reading(url: str) -> ReadOnlyPractice:
    folder = Path(tempfile.mkdtemp(prefix="thera-report-"))
    try:
        with Database(url, read_only=True) as live:
            info = take_snapshot(live, folder / "practice.duckdb")
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return ReadOnlyPractice(info.path, requested=redact(url), discard=True)


def _source_name(db: Database) -> str:
    """What a snapshot says it was taken of: the file's name, or the database's URL."""
    return db.label if db.engine == "postgresql" else Path(db.path).name


class ReadOnlyPractice(Database):
    """A practice database opened for reading that says how fresh it is.

    ``taken_at`` is None for the live file (as fresh as it gets), else the instant the snapshot
    read was taken; ``requested`` is the file asked for.
    """

    requested: Path
    taken_at: datetime | None
    source_name: str | None
    refresh_seconds: float | None

    def __init__(self, path: str | Path, *, requested: str | Path | None = None,
                 discard: bool = False) -> None:
        super().__init__(path, read_only=True)
        self._discard = Path(path) if discard else None  # a copy made for this reader alone
        self.requested = Path(requested if requested is not None else path)
        self.taken_at = None
        self.source_name = None
        self.refresh_seconds = None
        stamp = self._stamp()
        if stamp is not None:
            epoch, self.source_name, refresh = stamp
            self.taken_at = datetime.fromtimestamp(float(epoch), UTC)
            self.refresh_seconds = None if refresh is None else float(refresh)

    def _stamp(self) -> tuple[Any, ...] | None:
        cur = self.cursor()
        found = cur.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = ?",
            [SNAPSHOT_INFO]).fetchone()
        if not found or not found[0]:
            return None
        return cur.execute(
            f"SELECT taken_epoch, source, refresh_seconds FROM {SNAPSHOT_INFO} LIMIT 1"
        ).fetchone()

    def close(self) -> None:
        super().close()
        if self._discard is not None:
            for leftover in (self._discard, Path(f"{self._discard}.wal")):
                leftover.unlink(missing_ok=True)
            self._discard.parent.rmdir()

    @property
    def is_snapshot(self) -> bool:
        return self.taken_at is not None

    def age(self, now: datetime | None = None) -> timedelta:
        """How old the data is: zero for the live file, else the time since the snapshot."""
        if self.taken_at is None:
            return timedelta(0)
        return max(instant(now) - self.taken_at, timedelta(0))

    def freshness(self, now: datetime | None = None) -> str:
        """One sentence for a reader: live file, or snapshot of when (practice time) and age."""
        if self.taken_at is None:
            return f"Reading {self.requested.name} itself: the data is current."
        try:
            when = local_text(self.taken_at, self.zone)
        except PracticeError:
            when = self.taken_at.strftime("%Y-%m-%d %H:%M UTC")
        every = ""
        if self.refresh_seconds:
            every = f"; the server refreshes it every {_duration(self.refresh_seconds)}"
        return (f"Reading the analyst snapshot of {self.source_name or self.requested.name} "
                f"taken {when} ({_duration(self.age(now).total_seconds())} ago){every}. "
                "Changes saved since then are not in it.")


def open_for_reading(path: str | Path) -> ReadOnlyPractice:
    """Open a practice database read-only; while the server holds it, its newest snapshot.

    The returned object says what it read (``taken_at``, ``freshness()``). Refuses clearly when
    the file is missing, or locked with no snapshot beside it. A PostgreSQL practice
    (``postgresql://...``) is copied into a DuckDB snapshot for this reader first: reports run
    in DuckDB.
    """
    if is_postgres_url(str(path)):
        return _copy_for_reading(str(path))
    path = Path(path).expanduser()
    if not path.exists():
        raise PracticeError(
            f"db: {path.resolve()} does not exist; generate one with `thera sample --db {path}` "
            "or point THERA_DB at the absolute path of a practice database"
        )
    try:
        return ReadOnlyPractice(path)
    except DatabaseBusy:
        snapshot = snapshot_path(path)
        if snapshot.exists():
            try:
                return ReadOnlyPractice(snapshot, requested=path)
            except DatabaseBusy:
                pass  # someone holds the snapshot read-write too: report the live file
        raise DatabaseBusy(
            f"db: {path} is locked by another process (probably the running server, "
            "`thera serve`): DuckDB lets only one process hold the file. No analyst snapshot "
            f"({snapshot.name}) was found beside it: the server writes one when it starts and "
            "every few minutes (or use \"Refresh analyst snapshot\" on /practice), or stop "
            "the server."
        ) from None


def _duration(seconds: float) -> str:
    seconds = max(float(seconds), 0.0)
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 90 * 60:
        return f"{seconds / 60:.0f} min"
    if seconds < 48 * 3600:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 86400:.1f} days"


def run(db: Source, name: str, params: Sequence[Any],
        as_of: datetime | None = None, days: Days | None = None) -> pd.DataFrame:
    """Run the packaged query ``queries/<name>.sql``; ENUM columns come back as text.

    With ``as_of``, the query reads the practice as it stood at that instant: the versions of
    the event history valid then (``as_of_sql``), unless nothing has changed since, when the
    tables are that state already. ``days`` (first, last local day, either None) says the query
    reads only events of those days: the history's client rows are then narrowed to them
    before anything is joined to them (``as_of_sql``)."""
    text = sql_text(name)
    if as_of is not None and reads_history(db, as_of):
        text = as_of_sql(text, as_of, days)
    frame = db.df(text, list(params))
    for column in frame.columns:
        if isinstance(frame[column].dtype, pd.CategoricalDtype):
            frame[column] = frame[column].astype(object).where(frame[column].notna(), None)
    return frame


def sql_text(name: str) -> str:
    """A packaged report query, with each ``{fragment}`` it names (``backlog_as_of``,
    ``backlog_open``) replaced by that query's text, itself expanded the same way."""
    text = query(name, PACKAGE)
    for fragment in _FRAGMENTS:
        if "{" + fragment + "}" in text:
            text = text.replace("{" + fragment + "}", sql_text(fragment))
    return text


_FRAGMENTS = ("backlog_as_of", "backlog_open")
_LEADING_COMMENTS = re.compile(r"\A(?:\s*--[^\n]*\n|\s+)*")


Days = tuple[date | None, date | None]
"""A report's local days, first and last, either None for no bound."""

# Any practice zone is within a day of UTC: an event on local days first..last starts
# (in UTC) from the day before first to the end of the day after last.
_ZONE_MARGIN = timedelta(days=1)


def as_of_sql(text: str, as_of: datetime, days: Days | None = None) -> str:
    """A report query made to read the event history as it stood at ``as_of``: the
    ``history_as_of`` table expressions, named like the tables it reads, put in front of it.

    With ``days``, the history's client rows are read only where they start within a day of
    those local days (they repeat their event's start), a superset of the query's own filter
    on ``local_date``: the report's period then narrows them before they are joined to first
    visits and to the versions, instead of after."""
    # An aware UTC datetime's ISO text holds digits, '-', ':', '.', 'T' and '+' only.
    literal = _timestamp(instant(as_of))
    clients = "history_first_visits" if "first_visit" in text else "history_clients"
    tables = (query("history_as_of", PACKAGE).replace("{client_rows}", query(clients, PACKAGE))
              .replace("{client_days}", _client_days(days)).replace("{as_of}", literal))
    body = text[_LEADING_COMMENTS.match(text).end():]  # type: ignore[union-attr]
    if body[:4].upper() == "WITH" and body[4:5].isspace():
        return f"WITH {tables},\n{body[5:]}"
    return f"WITH {tables}\n{body}"


def _timestamp(moment: datetime) -> str:
    return f"CAST('{moment.isoformat()}' AS TIMESTAMPTZ)"


def _client_days(days: Days | None) -> str:
    """The test on a history client row's ``starts_at`` that keeps the rows of ``days``."""
    first, last = days if days is not None else (None, None)
    tests = []
    if first is not None:
        start = datetime.combine(_day(first), datetime.min.time(), UTC) - _ZONE_MARGIN
        tests.append(f"c.starts_at >= {_timestamp(start)}")
    if last is not None:
        end = datetime.combine(_day(last), datetime.min.time(), UTC) + 2 * _ZONE_MARGIN
        tests.append(f"c.starts_at < {_timestamp(end)}")
    return " AND ".join(tests) or "TRUE"


def _day(value: date | str) -> date:
    return date.fromisoformat(value) if isinstance(value, str) else value


def reads_history(db: Source, as_of: datetime) -> bool:
    """Whether a report as of ``as_of`` must read the event history: the database holds one
    and some version began after that instant (else the tables hold that state already)."""
    found = db.df("SELECT count(*) AS n FROM information_schema.tables"
                  " WHERE table_name = 'event_history' AND table_schema = current_schema()")
    if not int(found.iloc[0, 0]):
        return False  # an analyst snapshot from before migration 008
    later = db.df("SELECT count(*) AS n FROM (SELECT 1 FROM event_history"
                  " WHERE valid_from > CAST(? AS TIMESTAMPTZ) LIMIT 1) AS x",
                  [instant(as_of)])
    return bool(int(later.iloc[0, 0]))


def instant(value: datetime | str | None, field: str = "as_of") -> datetime:
    """An aware UTC instant from a datetime or ISO text; naive means UTC, None means now."""
    if value is None:
        return datetime.now(UTC)
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip())
        except ValueError:
            raise ValidationError(field, f"{value!r} is not a date-time (ISO 8601)") from None
    elif not isinstance(value, datetime):
        if isinstance(value, date):
            raise ValidationError(field, "give a date-time, not a date")
        raise ValidationError(field, f"{value!r} is not a date-time")
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def given(as_of: datetime | str | None) -> datetime | None:
    """The instant a caller asked a report to be as of, or None for the present (which reads
    the tables as they are)."""
    return None if as_of is None else instant(as_of)


def optional_id(value: int | str | None, field: str) -> int | None:
    """A clinician or service filter: an id, or None for all."""
    if value is None or value == "":
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ValidationError(field, f"{value!r} is not an id") from None


def filter_params(clinician_id: int | str | None, service_id: int | str | None) -> list[Any]:
    """The ``(? IS NULL OR column = ?)`` parameters of the clinician and service filters."""
    clinician = optional_id(clinician_id, "clinician_id")
    service = optional_id(service_id, "service_id")
    return [clinician, clinician, service, service]


def practice_zone(db: Source) -> ZoneInfo:
    """The practice's IANA time zone (for showing instants as local times)."""
    rows = run(db, "practice", [])
    if rows.empty:
        raise PracticeError("this database has no practice yet: run `thera init` first")
    return ZoneInfo(str(rows.iloc[0]["time_zone"]))


def local_text(moment: datetime, zone: ZoneInfo) -> str:
    """An instant as the practice reads it: ``2026-11-21 05:00 AEDT``."""
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M %Z")


# Inside a sentence only these change what Markdown shows: emphasis, code, links, tables,
# strike-through; "-", "." or "#" matter only at the start of a line, where names never are.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]|~])")


def escape_markdown(text: object) -> str:
    """Text from the database made inert in Markdown and HTML (names, labels), and nothing
    more: a date or a hyphenated name reads as it is."""
    value = re.sub(r"&(?=#?\w+;)", "&amp;", str(text))
    value = value.replace("<", "&lt;").replace(">", "&gt;")
    return _MARKDOWN_SPECIAL.sub(r"\\\1", value)
