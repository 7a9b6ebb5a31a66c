"""Who may do what: every route and every use case, for each role and for someone signed out.

- Over HTTP with real cookies (a server on 127.0.0.1): each route for a clinician, a manager, a
  client and a visitor who is signed out; the apps' websockets and autoload scripts refuse anyone
  signed out.
- Through the use cases: a clinician edits only their own events and reads only the sessions they
  take part in; a manager reads everything and edits nothing; a client sees only their own
  sessions and the homework shared with them.
- Passwords are stored as argon2 hashes only; sign-in cookies expire (in the browser and on the
  server); wrong passwords are limited; a deactivated user's cookie stops working.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import re
import time
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import panel as pn
import pytest
import requests
from bokeh.protocol import Protocol
from bokeh.protocol.receiver import Receiver
from tornado.httpclient import HTTPClientError, HTTPRequest
from tornado.web import create_signed_value
from tornado.websocket import websocket_connect

from dashboards import auth
from tests.conftest import _demo_hash
from tests.factories import make_practice, table_contents
from thera_analytics.clock import FixedClock
from thera_analytics.domain.actor import Actor
from thera_analytics.domain.errors import PermissionDenied, PracticeError, SigningError
from thera_analytics.domain.outcome_change import OutcomeChange
from thera_analytics.service import accounts, catalog, ical, portal
from thera_app import server as thera_server

SECRET = "access-tests-only-not-a-real-secret"
NOW = datetime(2026, 6, 3, 12, 0, tzinfo=UTC)  # Wednesday; the sessions below are on Monday



def _run(coroutine):  # noqa: ANN001, ANN202
    """Run a coroutine on a fresh loop in its own thread: Playwright's sync tests may leave
    this thread's event loop running earlier in the same session."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


# -- over HTTP -------------------------------------------------------------------------------------

class Served:
    """A practice served on 127.0.0.1 with one signed-in HTTP session per role."""

    def __init__(self, path: Path, clock: FixedClock) -> None:
        self.clock = clock
        self.server = thera_server.serve(path, port=0, address="127.0.0.1", threaded=True,
                                         clock=clock, reminders=False)
        self.port = self.server.port
        self.base = f"http://127.0.0.1:{self.port}"

    def sign_in(self, username: str, password: str = "demo") -> requests.Session:
        http = requests.Session()
        r = http.post(f"{self.base}/login", data={"username": username, "password": password},
                      allow_redirects=False, timeout=30)
        assert r.status_code == 302, r.status_code
        return http

    def stop(self) -> None:
        thera_server.stop(self.server)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    path = tmp_path_factory.mktemp("access") / "practice.duckdb"
    tp = make_practice(str(path))
    tp.create()
    tp.db.close()
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(thera_server.COOKIE_SECRET_ENV, SECRET)
        served = Served(path, FixedClock(NOW))
        try:
            yield served
        finally:
            served.stop()
            pn.state.kill_all_servers()
            pn.state.reset()


@pytest.fixture(scope="module")
def sessions(served: Served) -> dict[str, requests.Session]:
    return {"clinician": served.sign_in("ann"), "manager": served.sign_in("manager"),
            "client": served.sign_in("cara"), "signed out": requests.Session()}


ROLES = ("clinician", "manager", "client", "signed out")
LOGIN = r"\./login(\?next=.*)?$"
# route -> role -> (status, where a redirect goes (a regular expression) or None)
ROUTE_MATRIX: dict[str, dict[str, tuple[int, str | None]]] = {
    "/": {"clinician": (302, r"^\./scheduler$"), "manager": (302, r"^\./practice$"),
          "client": (302, r"^\./portal$"), "signed out": (302, r"^\./login$")},
    "/scheduler": {"clinician": (200, None), "manager": (200, None), "client": (403, None),
                   "signed out": (302, r"^\./login\?next=%2Fscheduler$")},
    "/scheduler?event=1": {"clinician": (200, None), "manager": (200, None),
                           "client": (403, None),
                           "signed out": (302, r"^\./login\?next=%2Fscheduler%3Fevent%3D1$")},
    "/practice": {"clinician": (403, None), "manager": (200, None), "client": (403, None),
                  "signed out": (302, r"^\./login\?next=%2Fpractice$")},
    "/portal": {"clinician": (403, None), "manager": (403, None), "client": (200, None),
                "signed out": (302, r"^\./login\?next=%2Fportal$")},
    "/login": {role: (200, None) for role in ROLES},
    "/scheduler/autoload.js": {"signed out": (302, r"^/login\?next=")},
    "/practice/autoload.js": {"signed out": (302, r"^/login\?next=")},
    "/portal/autoload.js": {"signed out": (302, r"^/login\?next=")},
    "/no-such-page": {role: (404, None) for role in ROLES},
}
CELLS = [(route, role) for route, roles in ROUTE_MATRIX.items() for role in roles]


@pytest.mark.parametrize(("route", "role"), CELLS, ids=[f"{r} as {w}" for r, w in CELLS])
def test_each_route_answers_each_role_as_it_should(
        served: Served, sessions: dict[str, requests.Session], route: str, role: str) -> None:
    status, where = ROUTE_MATRIX[route][role]
    url = served.base + route
    if route.endswith("autoload.js"):
        url += f"?bokeh-autoload-element=x&bokeh-app-path={route[:-12]}" \
               f"&bokeh-absolute-url={served.base}{route[:-12]}"
    r = sessions[role].get(url, allow_redirects=False, timeout=60)
    assert r.status_code == status, (route, role, r.status_code, r.headers.get("Location"))
    if where is not None:
        assert re.search(where, r.headers["Location"]), r.headers["Location"]
    if status == 403:
        assert "not authorized" in r.text
    if status == 200 and route != "/login":
        assert "Sign in" not in r.text and '"token"' in r.text  # an app page, not the login


def _signed_in_names(page: str) -> list[str]:
    return re.findall(r"Ann Archer|Pat Manager|Cara Cole", page)


def test_the_login_page_shows_no_practice_data_to_anyone(
        served: Served, sessions: dict[str, requests.Session]) -> None:
    page = sessions["signed out"].get(served.base + "/login", timeout=30).text
    assert "Test practice" in page  # the practice's name, nothing else
    assert _signed_in_names(page) == []
    assert "Cara" not in page and "Individual therapy" not in page


_last_document: dict[str, str] = {}


async def _open_websocket(port: int, app: str, token: str, cookie: str) -> str:
    request = HTTPRequest(f"ws://127.0.0.1:{port}{app}/ws", headers={"Cookie": cookie},
                          request_timeout=30)
    try:
        conn = await websocket_connect(request, subprotocols=["bokeh", token])
    except HTTPClientError as refused:
        return f"refused {refused.code}"
    receiver = Receiver(Protocol())
    try:
        while True:
            fragment = await asyncio.wait_for(conn.read_message(), 30)
            if fragment is None:
                return "closed"
            msg = await receiver.consume(fragment)
            if msg is None:
                continue
            if msg.msgtype == "ACK":
                pull = Protocol().create("PULL-DOC-REQ")
                for part in (pull.header_json, pull.metadata_json, pull.content_json):
                    await conn.write_message(part)
                continue
            doc = json.dumps(msg.content.get("doc", {}))
            _last_document[app] = doc
            return f"document of {len(doc)} bytes"
    finally:
        conn.close()


def _page_token(http: requests.Session, url: str) -> str:
    page = http.get(url, timeout=60).text
    match = re.search(r'"token":\s*"([^"]+)"', page)
    assert match, "no session token on the page"
    return match.group(1)


def _cookie(http: requests.Session) -> str:
    return "; ".join(f"{k}={v}" for k, v in http.cookies.items())


@pytest.mark.parametrize(("app", "role"), [("/scheduler", "clinician"),
                                           ("/practice", "manager"), ("/portal", "client")])
def test_an_apps_websocket_serves_its_role_and_refuses_anyone_signed_out(
        served: Served, sessions: dict[str, requests.Session], app: str, role: str) -> None:
    http = sessions[role]
    token = _page_token(http, served.base + app)
    opened = _run(_open_websocket(served.port, app, token, _cookie(http)))
    assert opened.startswith("document of"), opened
    # The same session token without the sign-in cookie: refused before any session is built.
    refused = _run(_open_websocket(served.port, app, token, ""))
    assert refused == "refused 403"
    forged = _run(_open_websocket(served.port, app, token, "user=ann; id_token=x"))
    assert forged == "refused 403"


def test_logging_out_clears_the_cookies_and_the_apps_send_you_to_sign_in(served: Served) -> None:
    http = served.sign_in("ann")
    assert http.get(served.base + "/scheduler", allow_redirects=False).status_code == 200
    r = http.get(served.base + "/logout", allow_redirects=False)
    assert r.status_code == 302 and r.headers["Location"].endswith("/login?signed_out=1")
    assert "user" not in http.cookies and "id_token" not in http.cookies
    r = http.get(served.base + "/scheduler", allow_redirects=False)
    assert r.status_code == 302 and "login" in r.headers["Location"]


def _set_cookies(response: requests.Response) -> dict[str, str]:
    """Each cookie the response sets, by name, with its attributes as sent."""
    raw = response.raw.headers.getlist("Set-Cookie")
    return {c.split("=", 1)[0]: c for c in raw}


def test_sign_in_cookies_are_signed_http_only_and_expire_after_the_session_length(
        served: Served) -> None:
    r = requests.post(served.base + "/login", data={"username": "ann", "password": "demo"},
                      allow_redirects=False, timeout=30)
    cookies = _set_cookies(r)
    # The wall clock on purpose: Tornado writes a cookie's expiry from it, not from the app's
    # clock, and so does a browser that reads it.
    expected = time.time() + auth.SESSION_DAYS * 86400
    for name in ("user", "id_token"):
        header = cookies[name]
        assert "HttpOnly" in header
        expires = re.search(r"expires=([^;]+)", header, re.IGNORECASE)
        assert expires, header
        when = datetime.strptime(expires.group(1), "%a, %d %b %Y %H:%M:%S GMT")
        assert abs(when.replace(tzinfo=UTC).timestamp() - expected) < 120, header
        assert "demo" not in header  # never the password


def _forged(name: str, value: str, age: timedelta, secret: str = SECRET) -> str:
    # Signed ``age`` before the wall clock, which Tornado checks a signed value's age against.
    signed = create_signed_value(secret, name, value,
                                 clock=lambda: time.time() - age.total_seconds())
    return signed.decode()


@pytest.mark.parametrize(("age", "secret", "allowed"), [
    (timedelta(hours=1), SECRET, True),
    (timedelta(hours=11), SECRET, True),
    (timedelta(hours=13), SECRET, False),  # past the 12-hour session: expired on the server
    (timedelta(days=30), SECRET, False),
    (timedelta(hours=1), "somebody else's secret", False),
], ids=["1 h old", "11 h old", "13 h old", "30 days old", "wrong secret"])
def test_the_server_refuses_a_sign_in_cookie_past_its_age_or_not_signed_by_it(
        served: Served, age: timedelta, secret: str, allowed: bool) -> None:
    assert auth.SESSION_DAYS * 24 == 12
    http = requests.Session()
    http.cookies.set("user", _forged("user", "ann", age, secret))
    r = http.get(served.base + "/scheduler", allow_redirects=False, timeout=60)
    if allowed:
        assert r.status_code == 200
    else:
        assert r.status_code == 302 and "login" in r.headers["Location"]
        assert http.get(served.base + "/", allow_redirects=False).headers["Location"] \
            == "./login"


def test_wrong_passwords_are_refused_alike_and_limited_per_user_name(served: Served) -> None:
    clock = served.clock

    def attempt(username: str, password: str) -> requests.Response:
        return requests.post(served.base + "/login", allow_redirects=False, timeout=30,
                             data={"username": username, "password": password})

    wrong, unknown = attempt("ann", "guess"), attempt("nobody", "guess")
    assert wrong.status_code == unknown.status_code == 401
    assert "Wrong user name or password." in wrong.text and "guess" not in wrong.text
    assert re.sub(r'value="[^"]*"', "", wrong.text) == re.sub(
        r'value="[^"]*"', "", unknown.text)  # nothing tells who exists
    for _ in range(4):
        clock.advance(timedelta(minutes=1))
        assert attempt("ann", "guess").status_code == 401
    paused = attempt("ann", "demo")  # the right password, but the name is paused
    assert paused.status_code == 429 and "try again in 15 minutes" in paused.text
    assert attempt("ben", "demo").status_code == 302  # others are not affected
    started = time.perf_counter()
    huge = attempt("ann2", "x" * 2_000_000)  # refused without hashing megabytes
    assert huge.status_code == 401 and time.perf_counter() - started < 5
    assert attempt("", "").status_code == 400
    clock.advance(timedelta(minutes=15))
    assert attempt("ann", "demo").status_code == 302


def test_a_deactivated_users_cookie_stops_working_at_once(
        served: Served, sessions: dict[str, requests.Session]) -> None:
    http = served.sign_in("ben")
    assert http.get(served.base + "/scheduler", allow_redirects=False).status_code == 200
    db = auth.registry().db
    db.cursor().execute("UPDATE users SET active = FALSE WHERE username = 'ben'")
    try:
        assert http.get(served.base + "/scheduler", allow_redirects=False).status_code == 403
        assert http.get(served.base + "/", allow_redirects=False).headers["Location"] \
            == "./login"
        again = requests.post(served.base + "/login", allow_redirects=False, timeout=30,
                              data={"username": "ben", "password": "demo"})
        assert again.status_code == 401
    finally:
        db.cursor().execute("UPDATE users SET active = TRUE WHERE username = 'ben'")


def test_nobody_signed_in_has_no_actor() -> None:
    tp = make_practice()
    with pytest.raises(PermissionDenied, match="nobody is signed in"):
        thera_server.current_actor(tp.db)  # outside a signed-in session there is no user
    tp.db.close()


# -- passwords ------------------------------------------------------------------------------------

def test_passwords_are_stored_as_argon2_hashes_never_as_text(monkeypatch: pytest.MonkeyPatch
                                                             ) -> None:
    tp = make_practice()
    password = "Correct-Horse-Battery-42"
    accounts.create_user(tp.db, username="newclinician", password=password, role="manager",
                         display_name="New Person", now=NOW)
    stored = dict(tp.db.cursor().execute("SELECT username, password_hash FROM users").fetchall())
    assert all(h.startswith("$argon2id$") for h in stored.values()), stored
    assert password not in repr(table_contents(tp.db))  # not in users, not in the audit log
    assert "demo" not in stored.values()
    assert tp.practice.login("NewClinician", password) is not None
    assert tp.practice.login("newclinician", password.lower()) is None
    assert tp.practice.login("newclinician", stored["newclinician"]) is None  # the hash is not
    tp.db.close()                                                             # a password


# -- every use case for each role ------------------------------------------------------------------

class World:
    """Ann's session with Cara (E1), Ann's with Dan where Ben sits in as a team member (E2),
    Ben's with Eve (E3); shared and unshared homework; a browser reminder for Cara."""

    def __init__(self) -> None:
        tp = self.tp = make_practice()
        cara, dan, eve = tp.clients
        self.e1 = tp.create()
        self.e2 = tp.create(client_ids=(dan,), team_member_ids=(tp.ben.clinician_id,),
                            start=datetime(2026, 6, 1, 12, 0), end=datetime(2026, 6, 1, 12, 50))
        self.e3 = tp.create(actor=tp.ben, clinician_id=tp.ben.clinician_id, client_ids=(eve,))
        # Cara's upcoming session.
        self.e4 = tp.create(start=datetime(2026, 6, 10, 10, 0), end=datetime(2026, 6, 10, 11))
        tp.clock.set(NOW)
        v = tp.practice.save_outcome(tp.ann, self.e1, 1,
            OutcomeChange.of(attendance={cara: "attended"},
                                     homework="Shared with Cara", homework_enabled=True,
                                     homework_shared=True))
        v = tp.practice.save_plan(tp.ann, self.e1, v, "Plan")
        self.e1_version = v
        tp.practice.save_outcome(tp.ann, self.e2, 1, OutcomeChange.of(homework="Dan's own homework",
                                 homework_enabled=True, homework_shared=True))
        self.actors: dict[str, Actor] = {"ann (owner)": tp.ann, "ben (other clinician)": tp.ben,
                                         "manager": tp.manager, "cara (client)": tp.client_actor}

    def version(self, event_id: int) -> int:
        return self.tp.version(event_id)


# op -> (the call, who may do it). Everyone else must be refused and change nothing.
Op = Callable[[World, Actor], Any]
OWNER, BEN, MANAGER, CARA = "ann (owner)", "ben (other clinician)", "manager", "cara (client)"
USE_CASES: dict[str, tuple[Op, set[str]]] = {
    "read Ann's session with Cara": (lambda w, a: w.tp.practice.event(a, w.e1),
                                     {OWNER, MANAGER}),
    "read Ann's session Ben sits in on": (lambda w, a: w.tp.practice.event(a, w.e2),
                                          {OWNER, BEN, MANAGER}),
    "read Ben's session": (lambda w, a: w.tp.practice.event(a, w.e3), {BEN, MANAGER}),
    "plan prefill of Ann's session": (lambda w, a: w.tp.practice.plan_prefill(a, w.e1),
                                      {OWNER, MANAGER}),
    "own calendar week": (lambda w, a: w.tp.practice.week(a, date(2026, 6, 1)),
                          {OWNER, BEN, MANAGER}),
    "Ben's calendar week": (lambda w, a: w.tp.practice.week(
        a, date(2026, 6, 1), w.tp.ben.clinician_id), {BEN, MANAGER}),
    "book on Ann's calendar": (lambda w, a: w.tp.practice.create_event(a, w.tp.details(
        start=datetime(2026, 6, 2, 9), end=datetime(2026, 6, 2, 9, 50))), {OWNER}),
    "change details": (lambda w, a: w.tp.practice.update_details(
        a, w.e1, w.version(w.e1), w.tp.details(title="changed")), {OWNER}),
    "reschedule": (lambda w, a: w.tp.practice.reschedule(
        a, w.e1, w.version(w.e1), datetime(2026, 6, 1, 14), datetime(2026, 6, 1, 14, 50)),
        {OWNER}),
    "cancel": (lambda w, a: w.tp.practice.cancel(a, w.e1, w.version(w.e1), reason="forgot"),
               {OWNER}),
    "save the plan": (lambda w, a: w.tp.practice.save_plan(a, w.e1, w.version(w.e1), "plan"),
                      {OWNER}),
    "save the plan of a session Ben sits in on": (lambda w, a: w.tp.practice.save_plan(
        a, w.e2, w.version(w.e2), "plan"), {OWNER}),
    "save the note": (lambda w, a: w.tp.practice.save_outcome(
        a, w.e1, w.version(w.e1), OutcomeChange.of(note="note")), {OWNER}),
    "record attendance": (lambda w, a: w.tp.practice.record_attendance(
        a, w.e1, w.version(w.e1), {w.tp.clients[0]: "no_show"}), {OWNER}),
    "share homework": (lambda w, a: w.tp.practice.save_outcome(
        a, w.e1, w.version(w.e1),
            OutcomeChange.of(homework="more", homework_shared=False)), {OWNER}),
    "sign": (lambda w, a: w.tp.practice.sign(a, w.e1, w.version(w.e1)), {OWNER}),
    "comment on Ann's session": (lambda w, a: w.tp.practice.add_comment(a, w.e1, "addendum"),
                                 {OWNER, MANAGER}),
    "comment as a team member": (lambda w, a: w.tp.practice.add_comment(a, w.e2, "addendum"),
                                 {OWNER, BEN, MANAGER}),
    "portal: upcoming sessions": (lambda w, a: portal.upcoming_sessions(w.tp.db, a, NOW),
                                  {CARA}),
    "portal: shared homework": (lambda w, a: portal.shared_homework(w.tp.db, a), {CARA}),
    "portal: reminders": (lambda w, a: portal.notifications(w.tp.db, a), {CARA}),
    "portal: mark reminders read": (lambda w, a: portal.mark_read(w.tp.db, a, NOW), {CARA}),
    "Ann's calendar file": (lambda w, a: ical.clinician_calendar(
        w.tp.db, a, w.tp.ann.clinician_id, NOW), {OWNER, MANAGER}),
    "Cara's calendar file": (lambda w, a: ical.client_calendar(
        w.tp.db, a, w.tp.clients[0], NOW), {MANAGER, CARA}),
    "Dan's calendar file": (lambda w, a: ical.client_calendar(
        w.tp.db, a, w.tp.clients[1], NOW), {MANAGER}),
    "add a client's contact": (lambda w, a: catalog.add_third_party(
        w.tp.db, w.tp.clients[0], "Mum", "parent", NOW, actor=a), {OWNER, BEN, MANAGER}),
}
ACTORS = (OWNER, BEN, MANAGER, CARA)
# Clients never load whole records (they see the portal); nothing is left unasserted.
OPEN_QUESTIONS: set[tuple[str, str]] = set()


@pytest.mark.parametrize("use_case", USE_CASES)
def test_each_use_case_allows_exactly_the_roles_it_should(use_case: str) -> None:
    op, allowed = USE_CASES[use_case]
    world = World()
    # The refused first (each must change nothing), then those allowed.
    for name in sorted(ACTORS, key=lambda n: n in allowed):
        if (use_case, name) in OPEN_QUESTIONS:
            continue
        actor = world.actors[name]
        before = table_contents(world.tp.db)
        if name in allowed:
            op(world, actor)
            continue
        with pytest.raises((PermissionDenied, SigningError)) as refused:
            op(world, actor)
        assert isinstance(refused.value, PracticeError) and refused.value.field, refused.value
        assert table_contents(world.tp.db) == before, f"{name}: a refusal changed something"
    world.tp.db.close()


def test_a_clinicians_week_holds_the_events_they_take_part_in_a_managers_all() -> None:
    world = World()
    p, week = world.tp.practice, date(2026, 6, 1)
    assert set(p.week(world.tp.ann, week)["event_id"]) == {world.e1, world.e2}
    assert set(p.week(world.tp.ben, week)["event_id"]) == {world.e2, world.e3}  # Ben sits in on E2
    assert set(p.week(world.tp.manager, week)["event_id"]) == {world.e1, world.e2, world.e3}
    world.tp.db.close()


def test_a_client_sees_only_their_sessions_and_the_homework_shared_with_them() -> None:
    world = World()
    tp, cara = world.tp, world.tp.client_actor
    assert [h.homework for h in portal.shared_homework(tp.db, cara)] == ["Shared with Cara"]
    assert [s.event_id for s in portal.upcoming_sessions(tp.db, cara, NOW)] == [world.e4]
    calendar = ical.client_calendar(tp.db, cara, tp.clients[0], datetime(2026, 5, 1,
                                                                         tzinfo=UTC))
    assert b"Dan" not in calendar and b"Eve" not in calendar
    # Unshare it: it leaves the portal at once.
    tp.practice.save_outcome(tp.ann, world.e1, world.version(world.e1),
        OutcomeChange.of(homework_shared=False))
    assert portal.shared_homework(tp.db, cara) == []
    # Another client of the practice (Dan) sees Dan's, never Cara's.
    dan_user = accounts.create_user(tp.db, username="dan", password="", role="client",
                                    display_name="Dan Dale", now=NOW, client_id=tp.clients[1],
                                    password_hash=_demo_hash())
    dan = accounts.actor_for(tp.db, "dan")
    assert dan.user_id == dan_user
    assert [h.homework for h in portal.shared_homework(tp.db, dan)] == ["Dan's own homework"]
    with pytest.raises(PermissionDenied):
        tp.practice.event(dan, world.e1)
    tp.db.close()


@pytest.mark.parametrize(("app", "role", "other_app"), [
    ("/scheduler", "clinician", "/practice"), ("/portal", "client", "/scheduler"),
    ("/portal", "client", "/practice")])
def test_an_apps_websocket_refuses_a_signed_in_user_of_another_role(
        served: Served, sessions: dict[str, requests.Session], app: str, role: str,
        other_app: str) -> None:
    http = sessions[role]
    token = _page_token(http, served.base + app)  # a real token, for the app they may open
    answer = _run(_open_websocket(served.port, other_app, token, _cookie(http)))
    if answer.startswith("document of"):  # Panel answers a failed build with an error page
        doc = _last_document[other_app]
        assert "cannot open this app" in doc, doc[:500]
        for private in ("Ann Archer", "Ben Brook", "Cara Cole", "Dan Dale", "Individual therapy"):
            assert private not in doc


def test_a_client_cannot_load_a_whole_record_even_of_their_own_session() -> None:
    world = World()
    with pytest.raises(PermissionDenied):
        world.tp.practice.event(world.tp.client_actor, world.e1)  # Cara's own session
    world.tp.db.close()
