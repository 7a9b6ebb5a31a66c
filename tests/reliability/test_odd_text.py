"""Odd text in every text field (odd Unicode; HTML, script, SQL and template syntax): refused by
field where a field is strict, else stored byte-identical and shown as text."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from html import escape
from typing import Any

import pytest

from tests.conftest import _demo_hash
from tests.factories import TestPractice as TP
from tests.factories import make_practice, table_contents
from tests.helpers.odd_input import PAYLOADS
from thera_analytics.domain.actor import Actor, Role
from thera_analytics.domain.errors import (
    ValidationError,
)
from thera_analytics.domain.kinds import EventKind
from thera_analytics.domain.outcome_change import OutcomeChange
from thera_analytics.service import accounts, catalog, portal


def _event_for(tp: TP) -> int:
    return tp.practice.create_event(tp.ann, tp.details(), allow_overlap=True)[0]


def _new_user(tp: TP, display_name: str) -> str:
    username = f"user{len(tp.extra)}"
    tp.extra[username] = True
    accounts.create_user(tp.db, username=username, password="", role="manager",
                         display_name=display_name, now=tp.clock(),
                         password_hash=_demo_hash())
    return username


def _frame_value(frame: Any, row_id: int, column: str) -> str:
    return str(frame.set_index("id").loc[row_id, column])


# field -> (store the text, return what reads back, how the field normalises text)
TEXT_FIELDS: dict[str, tuple[Callable[[TP, str], Any],
                             Callable[[TP, Any], str], Callable[[str], str]]] = {
    "title": (lambda tp, s: tp.practice.create_event(
        tp.ann, tp.details(title=s), allow_overlap=True)[0],
        lambda tp, k: tp.practice.event(tp.ann, k).title, str.strip),
    "team meeting title": (lambda tp, s: tp.practice.create_event(tp.ann, tp.details(
        kind=EventKind.TEAM_MEETING, title=s, service_id=None, client_ids=(), direct=None),
        allow_overlap=True)[0], lambda tp, k: tp.practice.event(tp.ann, k).title, str.strip),
    "plan": (lambda tp, s: (lambda e: (tp.practice.save_plan(tp.ann, e, 1, s), e)[1])(
        _event_for(tp)), lambda tp, k: tp.practice.event(tp.ann, k).plan_text, str),
    "previous homework": (lambda tp, s: (lambda e: (tp.practice.save_plan(
        tp.ann, e, 1, "p", previous_homework=s), e)[1])(_event_for(tp)),
        lambda tp, k: tp.practice.event(tp.ann, k).previous_homework, str),
    "previous note": (lambda tp, s: (lambda e: (tp.practice.save_plan(
        tp.ann, e, 1, "p", previous_note=s), e)[1])(_event_for(tp)),
        lambda tp, k: tp.practice.event(tp.ann, k).previous_note, str),
    "note": (lambda tp, s: (lambda e: (tp.practice.save_outcome(tp.ann, e, 1,
        OutcomeChange.of(note=s)), e)[1])(
        _event_for(tp)), lambda tp, k: tp.practice.event(tp.ann, k).note, str),
    "homework (portal)": (lambda tp, s: (lambda e: (tp.practice.save_outcome(
        tp.ann, e, 1, OutcomeChange.of(homework=s, homework_enabled=True,
                                       homework_shared=True)), e)[1])(
        _event_for(tp)), lambda tp, k: next(h.homework for h in portal.shared_homework(
            tp.db, tp.client_actor) if h.event_id == k), str),
    "comment": (lambda tp, s: (lambda e: (tp.practice.add_comment(tp.ann, e, s), e)[1])(
        _event_for(tp)), lambda tp, k: tp.practice.event(tp.ann, k).comments[-1].body,
        str.strip),
    "client name": (lambda tp, s: catalog.add_client(tp.db, s, tp.clock()),
                    lambda tp, k: _frame_value(catalog.clients(tp.db), k, "name"), str.strip),
    "client name (in a session)": (lambda tp, s: tp.practice.create_event(tp.ann, tp.details(
        client_ids=(catalog.add_client(tp.db, s, tp.clock()),)), allow_overlap=True)[0],
        lambda tp, k: tp.practice.event(tp.ann, k).clients[0].name, str.strip),
    "clinician name": (lambda tp, s: catalog.add_clinician(tp.db, s, tp.clock()),
                       lambda tp, k: _frame_value(catalog.clinicians(tp.db), k, "name"),
                       str.strip),
    "service name": (lambda tp, s: catalog.add_service(tp.db, s, 50, tp.clock()),
                     lambda tp, k: _frame_value(catalog.services(tp.db), k, "name"), str.strip),
    "third-party name": (lambda tp, s: catalog.add_third_party(
        tp.db, tp.clients[0], s, "GP", tp.clock()),
        lambda tp, k: _frame_value(catalog.third_parties(tp.db, [tp.clients[0]]), k, "name"),
        str.strip),
    "third-party relationship": (lambda tp, s: catalog.add_third_party(
        tp.db, tp.clients[0], "Dr Gray", s, tp.clock()),
        lambda tp, k: _frame_value(catalog.third_parties(tp.db, [tp.clients[0]]), k,
                                   "relationship"), str.strip),
    "user display name": (_new_user, lambda tp, k: accounts.actor_for(tp.db, k).display_name,
                          str.strip),
}

# Fields with a strict shape: odd text is refused by field, or (if it fits) stored verbatim.
STRICT_FIELDS: dict[str, tuple[Callable[[TP, str], Any], Callable[[TP, Any], str],
                               Callable[[str], str], str]] = {
    "user name": (lambda tp, s: (accounts.create_user(
        tp.db, username=s, password="", role="manager", display_name="X", now=tp.clock(),
        password_hash=_demo_hash()), s)[1],
        lambda tp, k: tp.db.cursor().execute(
            "SELECT username FROM users WHERE username = ?", [k.strip().lower()]).fetchone()[0],
        lambda s: s.strip().lower(), "username"),
    "client email": (lambda tp, s: catalog.add_client(tp.db, "Zoe", tp.clock(), email=s),
                     lambda tp, k: _frame_value(catalog.clients(tp.db), k, "email"), str.strip,
                     "email"),
    "video link": (lambda tp, s: tp.practice.create_event(tp.ann, tp.details(
        kind=EventKind.VIDEO_SESSION, video_link=s), allow_overlap=True)[0],
        lambda tp, k: tp.practice.event(tp.ann, k).video_link, str, "video_link"),
}
STRICT_PREFIX = {"user name": "", "client email": "", "video link": "https://meet.example.org/"}


@pytest.fixture(scope="module")
def shared() -> Iterator[TP]:
    """One practice for the text matrix: each case adds its own rows."""
    practice = make_practice()
    yield practice
    practice.db.close()


@pytest.mark.parametrize("payload", PAYLOADS.values(), ids=PAYLOADS.keys())
@pytest.mark.parametrize("field", TEXT_FIELDS)
def test_odd_text_is_stored_verbatim_and_comes_back_byte_identical(
        shared: TP, field: str, payload: str) -> None:
    store, read, normalise = TEXT_FIELDS[field]
    key = store(shared, payload)
    back = read(shared, key)
    assert back.encode("utf-8") == normalise(payload).encode("utf-8")


@pytest.mark.parametrize("payload", PAYLOADS.values(), ids=PAYLOADS.keys())
@pytest.mark.parametrize("field", STRICT_FIELDS)
def test_odd_text_in_a_strict_field_is_refused_by_name_or_kept_verbatim(
        shared: TP, field: str, payload: str) -> None:
    store, read, normalise, name = STRICT_FIELDS[field]
    text = STRICT_PREFIX[field] + payload
    before = table_contents(shared.db)
    try:
        key = store(shared, text)
    except ValidationError as refusal:
        assert refusal.field == name
        assert table_contents(shared.db) == before
        return
    assert read(shared, key).encode("utf-8") == normalise(text).encode("utf-8")


def test_the_tables_survive_every_payload(shared: TP) -> None:
    """Run last in this module: after all the SQL above, every table is still there and
    the audit log still has every row written."""
    tables = set(table_contents(shared.db))
    assert {"events", "audit_log", "outcomes", "plans", "users", "clients"} <= tables
    n = shared.db.cursor().execute("SELECT count(*), max(id) FROM audit_log").fetchone()
    assert n[0] == n[1] and n[0] > len(PAYLOADS) * len(TEXT_FIELDS)


def test_the_portal_and_the_editor_show_odd_text_as_text(tp: TP) -> None:
    """What reaches a page is escaped: markup in homework, names and messages is shown, not run."""
    from dashboards.portal.app import homework_html, sessions_html
    from dashboards.shared.feedback import FieldErrors, notice_html

    for payload in PAYLOADS.values():
        clinician = catalog.add_clinician(tp.db, f"Dr {payload}"[:200], tp.clock())
        user = accounts.create_user(tp.db, username=f"c{clinician}", password="", role="clinician",
                                    display_name="x", now=tp.clock(), clinician_id=clinician,
                                    password_hash=_demo_hash())
        actor = Actor(user, Role.CLINICIAN, "x", clinician)
        [event_id] = tp.practice.create_event(actor, tp.details(
            clinician_id=clinician, start=tp.clock() + timedelta(days=1),
            end=tp.clock() + timedelta(days=1, minutes=50)), allow_overlap=True)
        tp.practice.save_outcome(actor, event_id, 1, OutcomeChange.of(
            homework=payload, homework_enabled=True, homework_shared=True))
    homework = tuple(portal.shared_homework(tp.db, tp.client_actor))
    sessions = tuple(portal.upcoming_sessions(tp.db, tp.client_actor, tp.clock()))
    assert len(homework) == len(sessions) == len(PAYLOADS)
    pages = {"homework": homework_html(homework), "sessions": sessions_html(sessions)}
    errors = FieldErrors(["note"])
    for payload in PAYLOADS.values():
        errors.show("note", f"note: {payload}")
        pages[f"notice {payload}"] = notice_html("error", payload, title=payload)
        pages[f"field error {payload}"] = errors["note"].object
    for name, page in pages.items():
        for payload in PAYLOADS.values():
            if "<" in payload or ">" in payload:
                assert payload not in page, f"{name}: markup reached the page unescaped"
        assert "<script" not in page and "onerror=" not in page.replace("onerror=&quot;", "")
    for payload in PAYLOADS.values():
        assert escape(payload) in pages["homework"]
