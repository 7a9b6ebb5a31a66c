"""Users, roles and passwords (argon2 hashes; plain text is never stored)."""

from __future__ import annotations

from datetime import datetime
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from thera_analytics.domain.actor import Actor, Role
from thera_analytics.domain.details import MAX_NAME, clean_text
from thera_analytics.domain.errors import NotFoundError, ValidationError
from thera_analytics.service import audit
from thera_analytics.store import accounts as stored
from thera_analytics.store.database import Database

MIN_PASSWORD = 4
_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    """An argon2id hash of ``password``."""
    return _hasher.hash(password)


@cache
def _dummy_hash() -> str:
    return _hasher.hash("not a real password")


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def create_user(
    db: Database,
    *,
    username: str,
    password: str,
    role: Role | str,
    display_name: str,
    now: datetime,
    clinician_id: int | None = None,
    client_id: int | None = None,
    actor: Actor | None = None,
    password_hash: str | None = None,
) -> int:
    """Add a user; a clinician user names a clinician, a client user a client."""
    role = Role(role)
    username = clean_text(username, "username", MAX_NAME).strip().lower()
    if not username or not username.replace(".", "").replace("_", "").replace("-", "").isalnum():
        raise ValidationError("username", "use letters, digits, '.', '_' or '-'")
    display_name = clean_text(display_name, "display_name", MAX_NAME).strip()
    if not display_name:
        raise ValidationError("display_name", "a user needs a display name")
    if password_hash is None:
        if len(password) < MIN_PASSWORD:
            raise ValidationError("password", f"use at least {MIN_PASSWORD} characters")
        password_hash = hash_password(password)
    if role is Role.CLINICIAN and clinician_id is None:
        raise ValidationError("clinician_id", "a clinician user is linked to a clinician")
    if role is Role.CLIENT and client_id is None:
        raise ValidationError("client_id", "a client user is linked to a client")
    with db.transaction() as cur:
        if stored.username_taken(cur, username):
            raise ValidationError("username", f"{username!r} is taken")
        if clinician_id is not None and not stored.clinician_exists(cur, clinician_id):
            raise NotFoundError("clinician_id", f"no clinician {clinician_id}")
        if client_id is not None and not stored.client_exists(cur, client_id):
            raise NotFoundError("client_id", f"no client {client_id}")
        user_id = stored.insert(cur, username, password_hash, role.value, display_name,
                                clinician_id, client_id, now)
        audit.record(cur, actor, now, "create_user", "user", user_id, None,
                     {"username": username, "role": role.value})
    return user_id


def actor_for(db: Database, username: str) -> Actor:
    """The actor of an active user (no password check: the caller has authenticated)."""
    row = stored.actor_row(db.cursor(), username.strip().lower())
    if row is None:
        raise NotFoundError("username", f"no active user {username!r}")
    user_id, role, display_name, clinician_id, client_id = row
    return Actor(user_id, Role(role), display_name, clinician_id, client_id)


def authenticate(db: Database, username: str, password: str) -> Actor | None:
    """The user's actor if the password matches, else None.

    Unknown users are checked against a dummy hash so the time taken does not reveal who exists.
    """
    stored_hash = stored.password_hash(db.cursor(), username.strip().lower())
    if stored_hash is None:
        verify_password(_dummy_hash(), password)
        return None
    if not verify_password(stored_hash, password):
        return None
    return actor_for(db, username)
