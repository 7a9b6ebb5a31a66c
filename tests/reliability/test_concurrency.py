"""Two people saving the same event at once, and twenty people using the served apps at once.

- Two threads save the same event through the use cases at the same instant: exactly one wins;
  the other gets ``ConflictError`` or ``WriteConflict`` and nothing it sent is in the database.
- Two browser contexts edit the same event in the served scheduler: the first saves, the second
  is told someone else saved first and keeps what it typed.
- Twenty simulated users (clinicians, managers, clients) work for a bounded time against the
  served apps on 127.0.0.1: real HTTP sign-in with cookies, page loads, the page's websocket
  session pulled as a browser would, and saves through the use cases in the server process.
  No error, no lost save; response times are written to ``load.json`` in the test's tmp dir.
  ``THERA_LOAD_SECONDS`` (default 10; every user finishes at least one whole round) lengthens
  the run.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import re
import statistics
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
from bokeh.protocol import Protocol
from bokeh.protocol.receiver import Receiver
from playwright.sync_api import Browser, Page, expect
from tornado.httpclient import HTTPRequest
from tornado.websocket import websocket_connect

from dashboards import auth
from tests.conftest import _demo_hash
from tests.factories import TestPractice as TP
from tests.factories import table_contents
from tests.ui.conftest import login, wait_for_panel
from thera_analytics.clock import FixedClock
from thera_analytics.domain.actor import Actor
from thera_analytics.domain.details import EventDetails
from thera_analytics.domain.errors import ConflictError, PracticeError
from thera_analytics.domain.kinds import EventKind
from thera_analytics.domain.outcome_change import OutcomeChange
from thera_analytics.practice import Practice
from thera_analytics.service import accounts, catalog, portal
from thera_analytics.store.database import Database, WriteConflict
from thera_app import server as thera_server

LOAD_SECONDS = float(os.environ.get("THERA_LOAD_SECONDS", "10"))
USERS = 20
TIMEOUT_MS = 15_000




# -- two threads, one event -----------------------------------------------------------------------

def _ready_event(tp: TP, round_: int) -> tuple[int, int]:
    """A session of Ann's with a plan and an outcome already saved, attendance marked."""
    start = _ready_start(round_)
    event_id = tp.create(start=start, end=start + timedelta(minutes=50))
    v = tp.practice.save_plan(tp.ann, event_id, 1, "first plan")
    v = tp.practice.save_outcome(tp.ann, event_id, v,
        OutcomeChange.of(attendance={tp.clients[0]: "attended"},
                                 note="first note"))
    return event_id, v


Save = Callable[[TP, int, int, str], object]
SAVES: dict[str, Save] = {
    "plan": lambda tp, e, v, token: tp.practice.save_plan(tp.ann, e, v, f"plan {token}"),
    "note": lambda tp, e, v, token: tp.practice.save_outcome(tp.ann, e, v,
        OutcomeChange.of(note=f"note {token}")),
    "attendance": lambda tp, e, v, token: tp.practice.save_outcome(
        tp.ann, e, v,
            OutcomeChange.of(attendance={tp.clients[0]: "no_show"}, homework=f"homework {token}")),
    "details": lambda tp, e, v, token: tp.practice.update_details(
        tp.ann, e, v, tp.details(title=f"title {token}",
                                 **_times(tp.practice.event(tp.ann, e)))),
    "reschedule": lambda tp, e, v, token: tp.practice.reschedule(
        tp.ann, e, v, *_moved(tp.practice.event(tp.ann, e)), allow_overlap=True),
    "cancel": lambda tp, e, v, token: tp.practice.cancel(tp.ann, e, v, reason="forgot"),
    "sign": lambda tp, e, v, token: tp.practice.sign(tp.ann, e, v),
}
ACTIONS = {"plan": "save_plan", "note": "save_outcome", "attendance": "save_outcome",
           "details": "update_details", "reschedule": "reschedule", "cancel": "cancel",
           "sign": "sign"}
PAIRS = [("plan", "plan"), ("note", "note"), ("plan", "note"), ("attendance", "note"),
         ("details", "reschedule"), ("details", "cancel"), ("note", "sign"),
         ("reschedule", "cancel")]
ROUNDS = 4


def _times(rec: Any) -> dict[str, datetime]:
    return {"start": rec.start, "end": rec.end}


def _moved(rec: Any) -> tuple[datetime, datetime]:
    return rec.start + timedelta(days=1), rec.end + timedelta(days=1)


def _race(first: Callable[[], object], second: Callable[[], object]) -> list[object]:
    """Run both at the same instant; each result is a return value or the exception raised."""
    barrier = threading.Barrier(2)
    results: list[object] = [None, None]

    def run(i: int, fn: Callable[[], object]) -> None:
        barrier.wait()
        try:
            results[i] = fn()
        except Exception as exc:  # noqa: BLE001 - recorded and judged below
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i, fn)) for i, fn in enumerate((first,
                                                                                   second))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return results


@pytest.mark.parametrize(("a", "b"), PAIRS, ids=[f"{a}-vs-{b}" for a, b in PAIRS])
def test_two_saves_of_one_event_at_once_exactly_one_wins_the_other_is_refused_whole(
        tp: TP, a: str, b: str) -> None:
    tp.clock.set(datetime(2026, 5, 20, tzinfo=UTC))  # after every session: signing allowed
    outcomes = {"first": 0, "second": 0, "conflict": 0, "write_conflict": 0}
    for round_ in range(ROUNDS):
        event_id, v = _ready_event(tp, round_)
        audit_before = tp.db.cursor().execute("SELECT max(id) FROM audit_log").fetchone()[0]
        tokens = (f"A{round_}-{a}", f"B{round_}-{b}")
        results = _race(lambda e=event_id, v=v, t=tokens[0]: SAVES[a](tp, e, v, t),
                        lambda e=event_id, v=v, t=tokens[1]: SAVES[b](tp, e, v, t))
        won = [not isinstance(r, BaseException) for r in results]
        assert sum(won) == 1, f"round {round_}: {results}"
        winner, loser = (0, 1) if won[0] else (1, 0)
        refusal = results[loser]
        assert isinstance(refusal, ConflictError | WriteConflict), repr(refusal)
        assert isinstance(refusal, PracticeError) and refusal.field in ("version", None)
        outcomes["first" if winner == 0 else "second"] += 1
        outcomes["conflict" if isinstance(refusal, ConflictError) else "write_conflict"] += 1
        # The winner's save is whole; the loser's is nowhere.
        rec = tp.practice.event(tp.manager, event_id)
        assert rec.version == v + 1
        new_audit = tp.db.cursor().execute(
            "SELECT action, entity_id FROM audit_log WHERE id > ?", [audit_before]).fetchall()
        assert new_audit == [(ACTIONS[(a, b)[winner]], event_id)]
        everything = repr(table_contents(tp.db))
        assert tokens[winner] in everything or (a, b)[winner] in ("reschedule", "cancel",
                                                                  "sign")
        assert tokens[loser] not in everything
        losing = (a, b)[loser]
        if losing == "cancel" and (a, b)[winner] != "cancel":
            assert rec.cancelled_at is None
        if losing == "reschedule" and (a, b)[winner] != "reschedule":
            assert rec.start == _ready_start(round_).replace(tzinfo=tp.db.zone).astimezone(UTC)
        if losing == "sign":
            assert rec.signed_at is None
    print(f"{a} vs {b}:", outcomes)


def _ready_start(round_: int) -> datetime:
    """Wall-clock start of each round's session: two days apart, so a move never overlaps."""
    return datetime(2026, 5, 4, 10, 0) + timedelta(days=2 * round_)


# -- two browsers, one event -------------------------------------------------------------------

MONDAY_9AM = datetime(2026, 11, 8, 22, 0, tzinfo=UTC)  # Monday 9 November 2026, Sydney


def _alices_session(practice_db: Path) -> int:
    with Database(practice_db) as db:
        service = catalog.add_service(db, "Individual therapy", 50, MONDAY_9AM)
        chloe = int(db.df("SELECT id FROM clients WHERE name = 'Chloe Martin'")["id"][0])
        alice = accounts.actor_for(db, "alice")
        practice = Practice(db, FixedClock(MONDAY_9AM))
        [event_id] = practice.create_event(alice, EventDetails(
            kind=EventKind.CLIENT_SESSION, clinician_id=alice.clinician_id or 0,
            start=datetime(2026, 11, 9, 10, 0), end=datetime(2026, 11, 9, 10, 50),
            service_id=service, client_ids=(chloe,), direct=True))
        practice.save_plan(alice, event_id, 1, "Plan as first saved")
    return event_id


def _open_plan(page: Page, base: str, event_id: int) -> None:
    page.goto(f"{base}/scheduler?event={event_id}")
    login(page, base, "alice", "demo")
    wait_for_panel(page, ".thera-editor-header")
    page.locator(".thera-editor-panel").get_by_role(
        "button", name=re.compile(r"^2 · Plan")).click()


@pytest.mark.ui
def test_two_browsers_save_the_same_plan_the_second_is_told_and_keeps_its_text(
        browser: Browser, practice_db: Path, serve_file: Callable[..., Any]) -> None:
    event_id = _alices_session(practice_db)
    server = serve_file(practice_db, FixedClock(MONDAY_9AM), reminders=False)
    base = f"http://127.0.0.1:{server.port}"
    first, second = browser.new_context(), browser.new_context()
    try:
        pages = [first.new_page(), second.new_page()]
        for page in pages:
            _open_plan(page, base, event_id)
        plans = [p.locator(".thera-editor-panel").get_by_label("Plan", exact=True)
                 for p in pages]
        for plan in plans:
            expect(plan).to_have_value("Plan as first saved")
        plans[0].fill("Laptop: graded exposure, lifts then stairs")
        typed = "Tablet: typed at the same time <b>and</b> not lost ✓"
        plans[1].fill(typed)

        pages[0].locator(".thera-editor-panel").get_by_role(
            "button", name="Save", exact=True).click()
        expect(pages[0].get_by_role("status").filter(has_text="Plan saved.")).to_be_visible()
        pages[1].locator(".thera-editor-panel").get_by_role(
            "button", name="Save", exact=True).click()

        refused = pages[1].get_by_role("status").filter(has_text="Not saved.")
        expect(refused).to_contain_text("Someone else saved this event after you opened it")
        expect(plans[1]).to_have_value(typed)  # what the second person typed is still there
        db = auth.registry().db
        saved = db.cursor().execute("SELECT plan_text FROM plans WHERE event_id = ?",
                                    [event_id]).fetchone()[0]
        assert saved == "Laptop: graded exposure, lifts then stairs"
        assert "Tablet" not in repr(table_contents(db))

        pages[1].get_by_role("button", name="Reload").click()  # then they see the other save
        expect(plans[1]).to_have_value("Laptop: graded exposure, lifts then stairs")
    finally:
        first.close()
        second.close()


# -- twenty users at once ------------------------------------------------------------------------

@dataclass
class Figures:
    """Response times (seconds) by kind of request, errors, and acknowledged saves."""

    times: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    saves: list[tuple[str, int, str]] = field(default_factory=list)
    rounds: dict[str, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def timed(self, kind: str, started: float) -> None:
        with self.lock:
            self.times.setdefault(kind, []).append(time.perf_counter() - started)

    def error(self, who: str, what: str) -> None:
        with self.lock:
            self.errors.append(f"{who}: {what}")

    def saved(self, what: str, event_id: int, value: str) -> None:
        with self.lock:
            self.saves.append((what, event_id, value))

    def summary(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for kind, values in sorted(self.times.items()):
            ordered = sorted(values)
            out[kind] = {"count": len(values),
                         "median_ms": round(statistics.median(ordered) * 1000, 1),
                         "p95_ms": round(ordered[max(0, int(len(ordered) * 0.95) - 1)] * 1000,
                                         1),
                         "max_ms": round(ordered[-1] * 1000, 1)}
        return out


LOGGERS = ("", "tornado", "bokeh", "panel", "dashboards", "thera_analytics")


class ErrorLog(logging.Handler):
    """Collects every error the server logs while the load runs."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        line = f"{record.name}: {record.getMessage()[:300]}"
        if line not in self.records:  # a record reaches every logger it propagates through
            self.records.append(line)


async def _pull_document(port: int, path: str, token: str, cookie: str) -> int:
    """What a browser does after loading the page: open its websocket session and pull the
    document. Returns the size of the document received."""
    request = HTTPRequest(f"ws://127.0.0.1:{port}{path}/ws", headers={"Cookie": cookie},
                          request_timeout=60)
    conn = await websocket_connect(request, subprotocols=["bokeh", token])
    receiver = Receiver(Protocol())

    async def message() -> Any:
        while True:
            fragment = await conn.read_message()
            if fragment is None:
                raise ConnectionError("the server closed the websocket")
            msg = await receiver.consume(fragment)
            if msg is not None:
                return msg

    try:
        ack = await asyncio.wait_for(message(), 60)
        assert ack.msgtype == "ACK", ack.msgtype
        request_doc = Protocol().create("PULL-DOC-REQ")
        for part in (request_doc.header_json, request_doc.metadata_json,
                     request_doc.content_json):
            await conn.write_message(part)
        reply = await asyncio.wait_for(message(), 60)
        assert reply.msgtype == "PULL-DOC-REPLY", reply.msgtype
        return len(json.dumps(reply.content["doc"]))
    finally:
        conn.close()


@dataclass
class User:
    name: str
    actor: Actor
    home: str


class LoadRun:
    """Twenty users, each in a thread, until the deadline."""

    def __init__(self, server: Any, practice: Practice, deadline: float,
                 figures: Figures) -> None:
        self.port = server.port
        self.base = f"http://127.0.0.1:{server.port}"
        self.practice, self.deadline, self.figures = practice, deadline, figures
        self.service = int(catalog.services(practice.db)["id"].iloc[0])
        self.client = int(catalog.clients(practice.db)["id"].iloc[0])
        self.slots = iter(range(10**6))
        self.slot_lock = threading.Lock()

    def _slot(self) -> int:
        with self.slot_lock:
            return next(self.slots)

    def sign_in(self, user: User) -> requests.Session:
        http = requests.Session()
        started = time.perf_counter()
        r = http.post(f"{self.base}/login", data={"username": user.name, "password": "demo"},
                      allow_redirects=False, timeout=60)
        self.figures.timed("login", started)
        if r.status_code != 302 or "user" not in http.cookies:
            raise AssertionError(f"login {r.status_code}")
        return http

    def load_page(self, user: User, http: requests.Session) -> None:
        started = time.perf_counter()
        r = http.get(f"{self.base}{user.home}", allow_redirects=False, timeout=60)
        self.figures.timed(f"page {user.home}", started)
        match = re.search(r'"token":\s*"([^"]+)"', r.text)
        if r.status_code != 200 or match is None:
            raise AssertionError(f"GET {user.home}: {r.status_code}")
        cookie = "; ".join(f"{k}={v}" for k, v in http.cookies.items())
        started = time.perf_counter()
        size = asyncio.run(_pull_document(self.port, user.home, match.group(1), cookie))
        self.figures.timed(f"websocket document {user.home}", started)
        if size < 1000:
            raise AssertionError(f"{user.home}: a document of {size} bytes")

    def work(self, user: User, round_: int) -> None:
        """Saves (clinicians) or reads (managers, clients) through the use cases."""
        p, actor = self.practice, user.actor
        if actor.is_clinician:
            slot = self._slot()
            start = datetime(2026, 1, 5, 0, 0, tzinfo=UTC) + timedelta(hours=slot)
            token = f"{user.name}-{round_}-{slot}"
            started = time.perf_counter()
            [event_id] = p.create_event(actor, EventDetails(
                kind=EventKind.CLIENT_SESSION, clinician_id=actor.clinician_id or 0,
                start=start, end=start + timedelta(minutes=50), title=token,
                service_id=self.service, client_ids=(self.client,), direct=True),
                allow_overlap=True)
            self.figures.timed("save", started)
            self.figures.saved("title", event_id, token)
            v = 1
            for what, call in (
                ("plan", lambda v: p.save_plan(actor, event_id, v, f"plan {token}")),
                ("note", lambda v: p.save_outcome(actor, event_id, v, OutcomeChange.of(
                    attendance={self.client: "attended"}, note=f"note {token}"))),
                ("signed", lambda v: p.sign(actor, event_id, v)),
            ):
                started = time.perf_counter()
                v = call(v)
                self.figures.timed("save", started)
                self.figures.saved(what, event_id, token)
            started = time.perf_counter()
            p.add_comment(actor, event_id, f"comment {token}")
            self.figures.timed("save", started)
            self.figures.saved("comment", event_id, token)
        elif actor.is_manager:
            started = time.perf_counter()
            week = p.week(actor, date(2026, 1, 5))  # where the clinicians are booking
            if len(week):
                p.event(actor, int(week["event_id"].iloc[len(week) // 2]))
            self.figures.timed("read", started)
        else:
            started = time.perf_counter()
            portal.upcoming_sessions(p.db, actor, p.now())
            portal.shared_homework(p.db, actor)
            self.figures.timed("read", started)

    def run_user(self, user: User) -> None:
        round_ = 0
        http: requests.Session | None = None
        while time.monotonic() < self.deadline:
            try:
                if http is None or round_ % 3 == 0:  # sign in again now and then
                    http = self.sign_in(user)
                self.load_page(user, http)
                for _ in range(2):
                    if round_ and time.monotonic() >= self.deadline:
                        break
                    self.work(user, round_)
            except Exception as exc:  # noqa: BLE001 - every failure is an error of the run
                self.figures.error(user.name, f"{type(exc).__name__}: {exc}"[:300])
                http = None
            round_ += 1
        with self.figures.lock:
            self.figures.rounds[user.name] = round_


def _load_practice(path: Path) -> list[tuple[str, str]]:
    """A practice with 14 clinicians, 3 managers and 3 clients, each able to sign in."""
    now = datetime(2026, 10, 1, tzinfo=UTC)
    hashed = _demo_hash()
    people: list[tuple[str, str]] = []
    with Database(path) as db:
        db.init_practice("Load practice", "Australia/Sydney", now)
        catalog.add_service(db, "Individual therapy", 50, now)
        for i in range(14):
            clinician = catalog.add_clinician(db, f"Clinician {i}", now)
            accounts.create_user(db, username=f"clin{i}", password="", password_hash=hashed,
                                 role="clinician", display_name=f"Clinician {i}", now=now,
                                 clinician_id=clinician)
            people.append((f"clin{i}", "/scheduler"))
        for i in range(3):
            accounts.create_user(db, username=f"mgr{i}", password="", password_hash=hashed,
                                 role="manager", display_name=f"Manager {i}", now=now)
            people.append((f"mgr{i}", "/practice"))
        for i in range(3):
            client = catalog.add_client(db, f"Client {i}", now)
            accounts.create_user(db, username=f"client{i}", password="", password_hash=hashed,
                                 role="client", display_name=f"Client {i}", now=now,
                                 client_id=client)
            people.append((f"client{i}", "/portal"))
    return people


def test_twenty_users_at_once_no_error_no_lost_save(
        tmp_path: Path, serve_file: Callable[..., Any]) -> None:
    path = tmp_path / "load.duckdb"
    people = _load_practice(path)
    assert len(people) == USERS
    clock = FixedClock(datetime(2026, 10, 20, tzinfo=UTC))
    server = serve_file(path, clock, reminders=False)
    db = auth.registry().db  # the server's own database: saves go through the same handle
    practice = Practice(db, clock)
    users = [User(name, accounts.actor_for(db, name), home) for name, home in people]
    figures = Figures()
    errors = ErrorLog()
    for name in LOGGERS:
        logging.getLogger(name).addHandler(errors)
    run = LoadRun(server, practice, time.monotonic() + LOAD_SECONDS, figures)
    started = time.perf_counter()
    threads = [threading.Thread(target=run.run_user, args=(u,), name=u.name) for u in users]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join(LOAD_SECONDS + 180)
    finally:
        for name in LOGGERS:
            logging.getLogger(name).removeHandler(errors)
    elapsed = time.perf_counter() - started
    assert not any(t.is_alive() for t in threads), "a user never finished"

    thera_server.stop(server)  # then read what was saved from the file itself
    with Database(path) as reopened:
        lost = _lost_saves(reopened, figures.saves)
        audit_rows = reopened.cursor().execute(
            "SELECT count(*) FROM audit_log WHERE action IN"
            " ('create_event', 'save_plan', 'save_outcome', 'sign', 'comment')").fetchone()[0]
    report = {
        "users": USERS, "seconds": round(elapsed, 1), "load_seconds": LOAD_SECONDS,
        "rounds_per_user": figures.rounds, "acknowledged_saves": len(figures.saves),
        "lost_saves": len(lost), "errors": figures.errors, "server_errors": errors.records,
        "response_times": figures.summary(),
    }
    (tmp_path / "load.json").write_text(json.dumps(report, indent=2))
    print("load:", json.dumps(report, indent=1))
    assert figures.errors == []
    assert errors.records == []
    assert lost == []
    assert audit_rows == len(figures.saves)
    assert len(figures.rounds) == USERS and all(n >= 1 for n in figures.rounds.values())


def _lost_saves(db: Database, saves: list[tuple[str, int, str]]) -> list[tuple[str, int, str]]:
    cur = db.cursor()
    lost = []
    for what, event_id, token in saves:
        if what == "title":
            row = cur.execute("SELECT title = ? FROM events WHERE id = ?",
                              [token, event_id]).fetchone()
        elif what == "plan":
            row = cur.execute("SELECT plan_text = ? FROM plans WHERE event_id = ?",
                              [f"plan {token}", event_id]).fetchone()
        elif what == "note":
            row = cur.execute("SELECT note = ? FROM outcomes WHERE event_id = ?",
                              [f"note {token}", event_id]).fetchone()
        elif what == "signed":
            row = cur.execute("SELECT signed_at IS NOT NULL FROM outcomes WHERE event_id = ?",
                              [event_id]).fetchone()
        else:
            row = cur.execute("SELECT count(*) = 1 FROM comments WHERE event_id = ? AND body = ?",
                              [event_id, f"comment {token}"]).fetchone()
        if not row or not row[0]:
            lost.append((what, event_id, token))
    return lost
