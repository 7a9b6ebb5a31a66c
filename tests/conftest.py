"""Fixtures shared by every test directory."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from thera_analytics.clock import Clock
from thera_analytics.service import accounts
from thera_analytics.store.database import Database

# -- browser launch (pytest-playwright) ----------------------------------------------------------
# Playwright's own browser downloads are not available: drive the system Chromium instead.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    return {
        **browser_type_launch_args,
        "executable_path": os.environ.get("THERA_CHROMIUM", "/usr/bin/chromium"),
        "headless": browser_type_launch_args.get("headless", True),
        "args": [*browser_type_launch_args.get("args", []), *CHROMIUM_ARGS],
    }


# -- a small practice on disk --------------------------------------------------------------------
PRACTICE_CREATED = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
DEMO_PASSWORD = "demo"


@cache
def _demo_hash() -> str:
    # One argon2 hash for every fixture user: hashing per user costs ~0.3 s each.
    return accounts.hash_password(DEMO_PASSWORD)


@pytest.fixture
def practice_db(tmp_path: Path) -> Path:
    """A closed practice database file (Australia/Sydney), every password 'demo'.

    Users: ``manager`` (Morgan Reid, manager), ``alice`` (Alice Nguyen, clinician),
    ``ben`` (Ben Okafor, clinician), ``chloe`` (Chloe Martin, client).
    """
    path = tmp_path / "practice.duckdb"
    with Database(path) as db:
        db.init_practice("Harbour Allied Health", "Australia/Sydney", PRACTICE_CREATED)
        with db.transaction() as cur:
            clinician_ids = [
                cur.execute("INSERT INTO clinicians (id, name, email)"
                            " VALUES (nextval('clinician_id_seq'), ?, ?) RETURNING id",
                            [name, email]).fetchone()[0]
                for name, email in (("Alice Nguyen", "alice@example.org"),
                                    ("Ben Okafor", "ben@example.org"))
            ]
            chloe_id = cur.execute("INSERT INTO clients (id, name, email)"
                                   " VALUES (nextval('client_id_seq'), ?, ?) RETURNING id",
                                   ["Chloe Martin", "chloe@example.org"]).fetchone()[0]
        users = (
            ("manager", "Morgan Reid", "manager", None, None),
            ("alice", "Alice Nguyen", "clinician", clinician_ids[0], None),
            ("ben", "Ben Okafor", "clinician", clinician_ids[1], None),
            ("chloe", "Chloe Martin", "client", None, chloe_id),
        )
        for username, display_name, role, clinician_id, client_id in users:
            accounts.create_user(
                db, username=username, password=DEMO_PASSWORD, role=role,
                display_name=display_name, now=PRACTICE_CREATED, clinician_id=clinician_id,
                client_id=client_id, password_hash=_demo_hash(),
            )
    return path


# -- a practice served in this process -------------------------------------------------------------
@pytest.fixture
def serve_file(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., Any]]:
    """Serve a practice database file on 127.0.0.1 in this process; returns the server.

    ``server = serve_file(path, clock, reminders=False)``; ``server.port`` is the port it bound
    (the system chooses one). Every server is stopped, its file released and Panel's state
    reset after the test.
    """
    import panel as pn

    from thera_app import server as thera_server

    monkeypatch.setenv(thera_server.COOKIE_SECRET_ENV, "tests-only-not-a-real-secret")
    servers: list[Any] = []

    def _serve(db_path: Path, clock: Clock | None = None, *, reminders: bool = True) -> Any:
        server = thera_server.serve(db_path, port=0, address="127.0.0.1", threaded=True,
                                    clock=clock, reminders=reminders)
        servers.append(server)
        return server

    try:
        yield _serve
    finally:
        for server in servers:
            thera_server.stop(server)
        pn.state.kill_all_servers()
        pn.state.reset()


# -- the two engines -----------------------------------------------------------------------------
# The rules, use cases and reliability tests run on both: the embedded DuckDB file and a real
# PostgreSQL server (a throwaway cluster started for the test session). THERA_TEST_ENGINES
# narrows a local run (``duckdb`` or ``postgresql``); CI runs both.
ENGINES = tuple(e for e in os.environ.get("THERA_TEST_ENGINES", "duckdb,postgresql").split(",")
                if e)


@pytest.fixture(scope="session")
def pg_cluster():
    """A PostgreSQL cluster for this test session, with a migrated template database."""
    from tests.pg_cluster import running_cluster

    with running_cluster() as cluster:
        template = cluster.create_database()
        Database(template).close()  # every migration applied once; databases copy it
        cluster.template = template.rsplit("/", 1)[1]
        yield cluster


@pytest.fixture
def pg_url(pg_cluster):
    """A fresh, migrated PostgreSQL database for one test; dropped afterwards."""
    url = pg_cluster.create_database(template=pg_cluster.template)
    yield url
    pg_cluster.drop_database(url)


@pytest.fixture(params=ENGINES)
def engine(request) -> str:
    return request.param


@pytest.fixture
def db_target(engine, request) -> str:
    """Where a test's practice lives: DuckDB in memory, or a fresh PostgreSQL database."""
    if engine == "duckdb":
        return ":memory:"
    return request.getfixturevalue("pg_url")
