"""Users as rows: who they are and their password hash (SQL in ``queries/account_*.sql``)."""

from __future__ import annotations

from datetime import datetime

from thera_analytics.store.database import Cursor
from thera_analytics.store.sql import query


def username_taken(cur: Cursor, username: str) -> bool:
    return cur.execute(query("account_username_taken"), [username]).fetchone() is not None


def clinician_exists(cur: Cursor, clinician_id: int) -> bool:
    return cur.execute(query("account_clinician_exists"), [clinician_id]).fetchone() is not None


def client_exists(cur: Cursor, client_id: int) -> bool:
    return cur.execute(query("catalog_client_exists"), [client_id]).fetchone() is not None


def insert(cur: Cursor, username: str, password_hash: str, role: str, display_name: str,
           clinician_id: int | None, client_id: int | None, now: datetime) -> int:
    """A new active user; their id."""
    row = cur.execute(query("account_next_id")).fetchone()
    assert row is not None
    user_id = int(row[0])
    cur.execute(query("account_insert"), [user_id, username, password_hash, role, display_name,
                                          clinician_id, client_id, now])
    return user_id


def actor_row(cur: Cursor, username: str) -> tuple[int, str, str, int | None, int | None] | None:
    """An active user's id, role, display name, clinician id and client id."""
    row = cur.execute(query("account_actor"), [username]).fetchone()
    return None if row is None else (int(row[0]), row[1], row[2], row[3], row[4])


def password_hash(cur: Cursor, username: str) -> str | None:
    row = cur.execute(query("account_password_hash"), [username]).fetchone()
    return None if row is None else str(row[0])
