"""The practice's people and services: clinicians, clients, third parties, services."""

from __future__ import annotations

from datetime import datetime

import pandas as pd

from thera_analytics.domain.actor import Actor, Role
from thera_analytics.domain.details import MAX_NAME, check_email, clean_text
from thera_analytics.domain.errors import NotFoundError, PermissionDenied, ValidationError
from thera_analytics.service import audit
from thera_analytics.store import catalog as stored
from thera_analytics.store.database import Database


def _name(value: str, field: str) -> str:
    text = clean_text(value, field, MAX_NAME).strip()
    if not text:
        raise ValidationError(field, "is empty")
    return text


def _add(db: Database, actor: Actor | None, now: datetime, table: str,
         columns: list[str], values: list[object]) -> int:
    with db.transaction() as cur:
        new_id = stored.add(cur, table, values)
        audit.record(cur, actor, now, f"add_{table}", table, new_id, None,
                     dict(zip(columns, values, strict=True)))
    return new_id


def add_clinician(db: Database, name: str, now: datetime, *, email: str | None = None,
                  actor: Actor | None = None) -> int:
    """Add a clinician; returns the id."""
    return _add(db, actor, now, "clinicians", ["name", "email"],
                [_name(name, "name"), check_email(email) if email else None])


def add_client(db: Database, name: str, now: datetime, *, email: str | None = None,
               actor: Actor | None = None) -> int:
    """Add a client; returns the id."""
    return _add(db, actor, now, "clients", ["name", "email"],
                [_name(name, "name"), check_email(email) if email else None])


def add_service(db: Database, name: str, default_minutes: int, now: datetime, *,
                actor: Actor | None = None) -> int:
    """Add a service (e.g. Individual therapy, 50 minutes); returns the id."""
    if not 5 <= int(default_minutes) <= 480:
        raise ValidationError("default_minutes", "a service lasts 5 to 480 minutes")
    name = _name(name, "name")
    if stored.service_named(db.cursor(), name):
        raise ValidationError("name", f"there is already a service called {name!r}")
    return _add(db, actor, now, "services", ["name", "default_minutes"],
                [name, int(default_minutes)])


def add_third_party(db: Database, client_id: int, name: str, relationship: str, now: datetime,
                    *, email: str | None = None, actor: Actor | None = None) -> int:
    """Add a client's third-party contact (a GP, a parent, a teacher); returns the id.

    Clinicians and managers add contacts; clients cannot (``actor`` None is the CLI or loader).
    """
    if actor is not None and actor.role is Role.CLIENT:
        raise PermissionDenied("third_party: a client cannot add contacts")
    if not stored.client_exists(db.cursor(), client_id):
        raise NotFoundError("client", f"no client {client_id}")
    return _add(db, actor, now, "third_parties", ["client_id", "name", "email", "relationship"],
                [client_id, _name(name, "name"), check_email(email) if email else None,
                 _name(relationship, "relationship")])


def clinicians(db: Database) -> pd.DataFrame:
    return stored.clinicians(db)


def clients(db: Database, clinician_id: int | None = None) -> pd.DataFrame:
    """Active clients; for a clinician, those they have seen or booked first."""
    return stored.clients(db, clinician_id)


def services(db: Database) -> pd.DataFrame:
    return stored.services(db)


def third_parties(db: Database, client_ids: list[int]) -> pd.DataFrame:
    return stored.third_parties(db, client_ids)
