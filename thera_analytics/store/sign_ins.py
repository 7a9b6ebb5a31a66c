"""The sign-in failures and pauses of user names (migration 007)."""

from __future__ import annotations

from datetime import datetime
from typing import Any


def locked_until(cur: Any, key: str) -> datetime | None:
    row = cur.execute("SELECT locked_until FROM sign_in_lockouts WHERE username_key = ?",
                      [key]).fetchone()
    return row[0] if row else None


def add_failure(cur: Any, key: str, at: datetime, since: datetime) -> list[datetime]:
    """Record a failure; return the name's failures since ``since`` (this one included).
    Older ones are forgotten, so the table stays the size of the current window."""
    cur.execute("DELETE FROM sign_in_failures WHERE username_key = ? AND failed_at < ?",
                [key, since])
    cur.execute("INSERT INTO sign_in_failures VALUES (?, ?)", [key, at])
    return [r[0] for r in cur.execute(
        "SELECT failed_at FROM sign_in_failures WHERE username_key = ? ORDER BY failed_at",
        [key]).fetchall()]


def pause(cur: Any, key: str, until: datetime) -> None:
    cur.execute("DELETE FROM sign_in_lockouts WHERE username_key = ?", [key])
    cur.execute("INSERT INTO sign_in_lockouts VALUES (?, ?)", [key, until])
    cur.execute("DELETE FROM sign_in_failures WHERE username_key = ?", [key])


def clear(cur: Any, key: str) -> None:
    cur.execute("DELETE FROM sign_in_failures WHERE username_key = ?", [key])
    cur.execute("DELETE FROM sign_in_lockouts WHERE username_key = ?", [key])
