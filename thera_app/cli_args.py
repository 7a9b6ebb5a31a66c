"""Argument types shared by the ``thera`` command line (``cli``) and its ``reminders_cli``.

Each turns one command-line string into a value or raises ``argparse.ArgumentTypeError``, whose
message argparse prints as the usage error.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path


def date_arg(text: str) -> date:
    """A calendar day, ``YYYY-MM-DD``."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def instant_arg(text: str) -> datetime:
    """An ISO date-time; one without an offset is taken as UTC."""
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a date-time (YYYY-MM-DDTHH:MM[+00:00])"
        ) from None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def positive_int(limit: int) -> Callable[[str], int]:
    """A parser for a whole number from 1 to ``limit``."""
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if not 1 <= value <= limit:
            raise argparse.ArgumentTypeError(f"{value} is not between 1 and {limit}")
        return value

    return parse


def db_arg(text: str) -> Path | str:
    """A practice database: a DuckDB file, or a PostgreSQL URL (``postgresql://...``)."""
    if text.startswith(("postgresql://", "postgres://")):
        return text
    if "://" in text:
        raise argparse.ArgumentTypeError(
            f"{text.split('://')[0]}:// is not a database this tool opens: give a DuckDB file "
            "or a postgresql:// URL")
    return Path(text)
