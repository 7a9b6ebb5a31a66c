"""PostgreSQL restarted while clinicians save: they are told the database is unavailable, the
same server process carries on once it is back (its pool reconnects), and every save that was
acknowledged is in the database."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import datetime

from tests.factories import make_practice
from tests.helpers.waiting import wait_until
from tests.pg_cluster import running_cluster
from thera_analytics.domain.errors import PracticeError
from thera_analytics.practice import Practice
from thera_analytics.service import accounts
from thera_analytics.store.postgres_database import DatabaseUnavailable

CLINICIANS_SAVING = 4
SAVES_BEFORE = 5  # acknowledged saves per worker before the restart, and again after it


@dataclass
class Saver:
    """Saves one event's plan again and again, as one clinician at the keyboard would."""

    practice: Practice
    event_id: int
    attempts: list[str] = field(default_factory=list)
    acknowledged: list[str] = field(default_factory=list)
    told: list[str] = field(default_factory=list)  # what the clinician was told meanwhile
    stop: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        ann = accounts.actor_for(self.practice.db, "ann")
        manager = accounts.actor_for(self.practice.db, "manager")
        version: int | None = None
        while not self.stop.is_set():
            try:
                if version is None:  # reload, as the editor does after a refusal
                    version = self.practice.event(manager, self.event_id).version
                text = f"plan {self.event_id}.{len(self.attempts)}"
                self.attempts.append(text)
                version = self.practice.save_plan(ann, self.event_id, version, text)
                self.acknowledged.append(text)
            except DatabaseUnavailable as exc:
                self.told.append(str(exc))
                version = None
            except PracticeError as exc:  # a save whose answer was lost may have committed
                self.told.append(str(exc))
                version = None


def _wait(condition, what: str, timeout: float = 120.0) -> None:
    wait_until(condition, what, timeout, interval=0.01)


def test_saves_carry_on_across_a_restart_and_no_acknowledged_save_is_lost() -> None:
    with running_cluster() as cluster:
        url = cluster.create_database()
        tp = make_practice(url)
        events = [tp.create(start=datetime(2026, 6, 1 + n, 10, 0),
                            end=datetime(2026, 6, 1 + n, 10, 50))
                  for n in range(CLINICIANS_SAVING)]
        savers = [Saver(tp.practice, event_id) for event_id in events]
        threads = [threading.Thread(target=s.run, daemon=True) for s in savers]
        for thread in threads:
            thread.start()
        try:
            _wait(lambda: all(len(s.acknowledged) >= SAVES_BEFORE for s in savers),
                  "saves before the restart")
            before = [len(s.acknowledged) for s in savers]
            cluster.restart()  # pg_ctl restart -m fast: every open connection is cut
            _wait(lambda: all(len(s.acknowledged) >= n + SAVES_BEFORE
                              for s, n in zip(savers, before, strict=True)),
                  "the same process saves again once PostgreSQL is back")
        finally:
            for saver in savers:
                saver.stop.set()
            for thread in threads:
                thread.join(60)
        tp.db.close()

        told = [message for s in savers for message in s.told]
        assert told, "nobody was told the database was unavailable"
        for message in told:
            assert message.startswith("db: ") and ("cannot reach" in message
                                                   or "connection" in message), message
            assert "Traceback" not in message and "psycopg" not in message, message

        with Practice.open(url).db as db:  # a new connection: what the database holds
            manager = accounts.actor_for(db, "manager")
            for saver in savers:
                stored = Practice(db).event(manager, saver.event_id).plan_text
                last = saver.attempts.index(saver.acknowledged[-1])
                # The last acknowledged save, or one tried after it whose answer was lost.
                assert stored in saver.attempts[last:], (stored, saver.acknowledged[-1])
