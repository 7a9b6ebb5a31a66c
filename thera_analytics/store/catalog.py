"""The practice's people and services as rows (SQL in ``queries/catalog_*.sql``)."""

from __future__ import annotations

from datetime import datetime

import pandas as pd

from thera_analytics.store.database import Cursor, Database
from thera_analytics.store.sql import query

# What each kind of entry is called in its queries (catalog_next_<kind>_id, catalog_add_<kind>)
# and the table it lives in.
KINDS = {"clinicians": "clinician", "clients": "client", "services": "service",
         "third_parties": "third_party"}


def add(cur: Cursor, table: str, values: list[object]) -> int:
    """A new row of ``table`` (clinicians, clients, services, third_parties); its id."""
    kind = KINDS[table]
    row = cur.execute(query(f"catalog_next_{kind}_id")).fetchone()
    assert row is not None
    new_id = int(row[0])
    cur.execute(query(f"catalog_add_{kind}"), [new_id, *values])
    return new_id


def service_named(cur: Cursor, name: str) -> bool:
    return cur.execute(query("catalog_service_named"), [name]).fetchone() is not None


def client_exists(cur: Cursor, client_id: int) -> bool:
    return cur.execute(query("catalog_client_exists"), [client_id]).fetchone() is not None


def clinicians(db: Database) -> pd.DataFrame:
    return db.df(query("catalog_clinicians"))


def clients(db: Database, clinician_id: int | None = None) -> pd.DataFrame:
    if clinician_id is None:
        return db.df(query("catalog_clients"))
    return db.df(query("catalog_clients_for_clinician"), [clinician_id])


def services(db: Database) -> pd.DataFrame:
    return db.df(query("catalog_services"))


def third_parties(db: Database, client_ids: list[int]) -> pd.DataFrame:
    return db.df(query("catalog_third_parties"), [list(client_ids)])


def clinician_name(cur: Cursor, clinician_id: int) -> str | None:
    row = cur.execute(query("catalog_clinician_name"), [clinician_id]).fetchone()
    return None if row is None else str(row[0])


def practice_facts(cur: Cursor) -> tuple[str, datetime] | None:
    """The practice's name and when it was set up (None before ``thera init``)."""
    row = cur.execute(query("practice_facts")).fetchone()
    return None if row is None else (row[0], row[1])
