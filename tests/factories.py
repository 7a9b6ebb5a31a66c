"""Small factories for practices and events used across the core tests."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any

from thera_analytics.clock import FixedClock
from thera_analytics.domain.actor import Actor
from thera_analytics.domain.details import EventDetails
from thera_analytics.domain.kinds import EventKind
from thera_analytics.practice import Practice
from thera_analytics.service import accounts, catalog
from thera_analytics.store import Database

ZONE = "Europe/London"
START_OF_TESTS = datetime(2026, 6, 1, 7, 0, tzinfo=UTC)  # a Monday, 08:00 in London


@dataclass
class TestPractice:
    practice: Practice
    clock: FixedClock
    ann: Actor  # clinician 1
    ben: Actor  # clinician 2
    manager: Actor
    client_actor: Actor
    clients: list[int]
    service: int
    third_party: int
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def db(self) -> Database:
        return self.practice.db

    def details(self, **overrides: Any) -> EventDetails:
        """A direct client session for Ann on Monday 1 June 2026, 10:00-10:50 London."""
        base = EventDetails(
            kind=EventKind.CLIENT_SESSION,
            clinician_id=self.ann.clinician_id or 0,
            start=datetime(2026, 6, 1, 10, 0),
            end=datetime(2026, 6, 1, 10, 50),
            service_id=self.service,
            client_ids=(self.clients[0],),
            direct=True,
        )
        return replace(base, **overrides)

    def create(self, actor: Actor | None = None, **overrides: Any) -> int:
        return self.practice.create_event(actor or self.ann, self.details(**overrides))[0]

    def version(self, event_id: int) -> int:
        return self.practice.event(self.manager, event_id).version


@cache
def _demo_hash() -> str:
    return accounts.hash_password("demo")  # ~0.3 s each: one hash serves every test practice


def make_practice(path: str = ":memory:", now: datetime = START_OF_TESTS) -> TestPractice:
    clock = FixedClock(now)
    db = Database(path)
    db.init_practice("Test practice", ZONE, now)
    ann_id = catalog.add_clinician(db, "Ann Archer", now, email="ann@example.org")
    ben_id = catalog.add_clinician(db, "Ben Brook", now)
    clients = [catalog.add_client(db, name, now) for name in ("Cara Cole", "Dan Dale", "Eve Ely")]
    service = catalog.add_service(db, "Individual therapy", 50, now)
    third = catalog.add_third_party(db, clients[0], "Dr Gill", "GP", now, email="gp@example.org")
    hashed = _demo_hash()
    for username, role, name, extra in (
        ("ann", "clinician", "Ann Archer", {"clinician_id": ann_id}),
        ("ben", "clinician", "Ben Brook", {"clinician_id": ben_id}),
        ("manager", "manager", "Pat Manager", {}),
        ("cara", "client", "Cara Cole", {"client_id": clients[0]}),
    ):
        accounts.create_user(
            db,
            username=username,
            password="",
            password_hash=hashed,
            role=role,
            display_name=name,
            now=now,
            **extra,
        )
    practice = Practice(db, clock)
    return TestPractice(
        practice=practice,
        clock=clock,
        ann=accounts.actor_for(db, "ann"),
        ben=accounts.actor_for(db, "ben"),
        manager=accounts.actor_for(db, "manager"),
        client_actor=accounts.actor_for(db, "cara"),
        clients=clients,
        service=service,
        third_party=third,
    )


def table_contents(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, for checking that a refusal changed nothing."""
    cur = db.cursor()
    tables = [
        r[0]
        for r in cur.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE'"
            " AND table_schema = current_schema() ORDER BY table_name"
        ).fetchall()
    ]
    return {t: sorted(cur.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr) for t in tables}


def at(hours: float) -> timedelta:
    return timedelta(hours=hours)


# The derived columns of migration 005 as the rules work them out from the tables (the dots
# through the event_status view; the first visit here, as the session_facts view reads the
# stored one since migration 011).
_DERIVED_MISMATCHES = """
SELECT 'dots' AS what, e.id AS event_id, NULL AS client_id
FROM events e JOIN event_status s ON s.event_id = e.id
WHERE (e.dot_details, e.dot_plan, e.dot_outcome)
      IS DISTINCT FROM (s.dot_details, s.dot_plan, s.dot_outcome)
   OR e.completed_at IS DISTINCT FROM
      CASE WHEN s.dot_details AND s.dot_plan AND s.dot_outcome
           THEN GREATEST(s.signed_at, s.plan_saved_at) END
UNION ALL
SELECT 'first visit', f.event_id, f.client_id
FROM (SELECT ec.event_id, ec.client_id,
             ROW_NUMBER() OVER (PARTITION BY ec.client_id
                                ORDER BY s.starts_at, s.event_id) = 1 AS first_visit
      FROM event_clients ec JOIN event_status s ON s.event_id = ec.event_id) AS f
JOIN event_clients ec USING (event_id, client_id)
WHERE f.first_visit IS DISTINCT FROM ec.first_visit
UNION ALL
SELECT 'first visit of a cancelled or non-client event', ec.event_id, ec.client_id
FROM event_clients ec
WHERE ec.first_visit
  AND ec.event_id NOT IN (SELECT event_id FROM event_status)
ORDER BY 1, 2, 3
"""


def derived_mismatches(db: Database) -> list[tuple[Any, ...]]:
    """Rows whose stored dots, completion instant or first-visit flag differ from what the
    analyst views work out from the tables (empty when the use cases kept them right)."""
    return db.cursor().execute(_DERIVED_MISMATCHES).fetchall()
