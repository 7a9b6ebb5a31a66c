"""The practice's people and services: clinicians, clients, third parties, services."""

from __future__ import annotations

from datetime import datetime

import pandas as pd

from thera_analytics.domain.actor import Actor, Role
from thera_analytics.domain.details import MAX_NAME, check_email, clean_text
from thera_analytics.domain.errors import NotFoundError, PermissionDenied, ValidationError
from thera_analytics.service import audit
from thera_analytics.store.database import Database


def _name(value: str, field: str) -> str:
    text = clean_text(value, field, MAX_NAME).strip()
    if not text:
        raise ValidationError(field, "is empty")
    return text


def _add(db: Database, actor: Actor | None, now: datetime, table: str, seq: str,
         columns: list[str], values: list[object]) -> int:
    with db.transaction() as cur:
        row = cur.execute(f"SELECT nextval('{seq}')").fetchone()
        assert row is not None
        new_id = int(row[0])
        marks = ", ".join("?" for _ in range(len(columns) + 1))
        cur.execute(f"INSERT INTO {table} (id, {', '.join(columns)}) VALUES ({marks})",
                    [new_id, *values])
        audit.record(cur, actor, now, f"add_{table}", table, new_id, None,
                     dict(zip(columns, values, strict=True)))
    return new_id


def add_clinician(db: Database, name: str, now: datetime, *, email: str | None = None,
                  actor: Actor | None = None) -> int:
    """Add a clinician; returns the id."""
    return _add(db, actor, now, "clinicians", "clinician_id_seq", ["name", "email"],
                [_name(name, "name"), check_email(email) if email else None])


def add_client(db: Database, name: str, now: datetime, *, email: str | None = None,
               actor: Actor | None = None) -> int:
    """Add a client; returns the id."""
    return _add(db, actor, now, "clients", "client_id_seq", ["name", "email"],
                [_name(name, "name"), check_email(email) if email else None])


def add_service(db: Database, name: str, default_minutes: int, now: datetime, *,
                actor: Actor | None = None) -> int:
    """Add a service (e.g. Individual therapy, 50 minutes); returns the id."""
    if not 5 <= int(default_minutes) <= 480:
        raise ValidationError("default_minutes", "a service lasts 5 to 480 minutes")
    name = _name(name, "name")
    if db.cursor().execute("SELECT 1 FROM services WHERE name = ?", [name]).fetchone():
        raise ValidationError("name", f"there is already a service called {name!r}")
    return _add(db, actor, now, "services", "service_id_seq", ["name", "default_minutes"],
                [name, int(default_minutes)])


def add_third_party(db: Database, client_id: int, name: str, relationship: str, now: datetime,
                    *, email: str | None = None, actor: Actor | None = None) -> int:
    """Add a client's third-party contact (a GP, a parent, a teacher); returns the id.

    Clinicians and managers add contacts; clients cannot (``actor`` None is the CLI or loader).
    """
    if actor is not None and actor.role is Role.CLIENT:
        raise PermissionDenied("third_party: a client cannot add contacts")
    if not db.cursor().execute("SELECT 1 FROM clients WHERE id = ?", [client_id]).fetchone():
        raise NotFoundError("client", f"no client {client_id}")
    return _add(db, actor, now, "third_parties", "third_party_id_seq",
                ["client_id", "name", "email", "relationship"],
                [client_id, _name(name, "name"), check_email(email) if email else None,
                 _name(relationship, "relationship")])


def clinicians(db: Database) -> pd.DataFrame:
    return db.df("SELECT id, name, email FROM clinicians WHERE active ORDER BY name, id")


def clients(db: Database, clinician_id: int | None = None) -> pd.DataFrame:
    """Active clients; for a clinician, those they have seen or booked first."""
    if clinician_id is None:
        return db.df("SELECT id, name, email FROM clients WHERE active ORDER BY name, id")
    return db.df(
        "SELECT c.id, c.name, c.email FROM clients c WHERE c.active ORDER BY"
        " (c.id IN (SELECT ec.client_id FROM event_clients ec JOIN events e"
        "  ON e.id = ec.event_id WHERE e.clinician_id = ?)) DESC, c.name, c.id",
        [clinician_id],
    )


def services(db: Database) -> pd.DataFrame:
    return db.df("SELECT id, name, default_minutes FROM services WHERE active ORDER BY name")


def third_parties(db: Database, client_ids: list[int]) -> pd.DataFrame:
    return db.df(
        "SELECT id, client_id, name, email, relationship FROM third_parties"
        " WHERE client_id IN (SELECT unnest(?)) ORDER BY name, id", [list(client_ids)])
