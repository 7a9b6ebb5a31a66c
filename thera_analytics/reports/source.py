"""Where reports read from: a practice database opened for reading, and its packaged queries."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Protocol
from zoneinfo import ZoneInfo

import pandas as pd

from thera_analytics.domain.errors import PracticeError, ValidationError
from thera_analytics.store.database import Database, DatabaseBusy
from thera_analytics.store.sql import query

PACKAGE = "thera_analytics.reports"


class Source(Protocol):
    """Anything that runs SQL with ``?`` parameters into a DataFrame (``Database`` does)."""

    def df(self, sql: str, params: list[Any] | tuple[Any, ...] | None = None) -> pd.DataFrame:
        ...  # pragma: no cover


class DatabaseLocked(PracticeError):
    """The database file is held read-write by another process (usually ``thera serve``)."""


def open_for_reading(path: str | Path) -> Database:
    """Open a practice database read-only, refusing clearly when it is missing or locked."""
    path = Path(path)
    if not path.exists():
        raise PracticeError(
            f"db: {path} does not exist; generate one with `thera sample --db {path}` "
            "or point THERA_DB at a practice database"
        )
    try:
        return Database(path, read_only=True)
    except DatabaseBusy:
        raise DatabaseLocked(
            f"db: {path} is locked by another process (probably the running server, "
            "`thera serve`): DuckDB lets only one process hold the file. Read a snapshot of it "
            "instead, or stop the server."
        ) from None


def run(db: Source, name: str, params: Sequence[Any]) -> pd.DataFrame:
    """Run the packaged query ``queries/<name>.sql``; ENUM columns come back as text."""
    frame = db.df(sql_text(name), list(params))
    for column in frame.columns:
        if isinstance(frame[column].dtype, pd.CategoricalDtype):
            frame[column] = frame[column].astype(object).where(frame[column].notna(), None)
    return frame


def sql_text(name: str) -> str:
    """A packaged report query, with ``{backlog_as_of}`` replaced by that query's text."""
    text = query(name, PACKAGE)
    if "{backlog_as_of}" in text:
        text = text.replace("{backlog_as_of}", query("backlog_as_of", PACKAGE))
    return text


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


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>])")


def escape_markdown(text: object) -> str:
    """Text from the database made inert in Markdown and HTML (names, labels)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(str(text), quote=False))
