"""The audit log: every change says who, when, before and after; nothing rewrites the log; a
signed note past its 24 hours cannot be changed by any public path.

- Each use case is run and the tables compared before and after: whatever changed, the log gained
  a row naming the acting user, the clock's instant, the action, and what was before and after.
- Every packaged SQL file and every Python module of the core and the apps is scanned for a
  statement that updates, deletes, drops, truncates or alters ``audit_log``; and every statement
  the use cases actually run over a whole lifecycle is recorded: the log is only ever inserted
  into or read.
- A note signed more than 24 hours ago is attacked through every public ``Practice`` method, the
  ``thera`` commands, and the scheduler's editor with its read-only widgets forced open: nothing
  changes but comments.
"""

from __future__ import annotations

import inspect
import json
import re
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from importlib import resources
from pathlib import Path
from typing import Any

import panel as pn
import pytest

from tests.factories import TestPractice as TP
from tests.factories import make_practice, table_contents
from tests.helpers.commands import run_thera
from tests.helpers.events import new_session
from thera_analytics.domain.actor import Actor
from thera_analytics.domain.details import ReminderRequest
from thera_analytics.domain.errors import PracticeError
from thera_analytics.domain.kinds import EventKind
from thera_analytics.domain.outcome_change import OutcomeChange
from thera_analytics.domain.recurrence import Recurrence
from thera_analytics.practice import Practice
from thera_analytics.service import accounts, catalog, portal, reminders
from thera_analytics.store.database import Database

ROOT = Path(__file__).resolve().parents[2]




def _audit(db: Database, after_id: int = 0) -> list[dict[str, Any]]:
    rows = db.cursor().execute(
        "SELECT id, logged_at, user_id, action, entity, entity_id, before, after FROM audit_log"
        " WHERE id > ? ORDER BY id", [after_id]).fetchall()
    return [{"id": r[0], "logged_at": r[1], "user_id": r[2], "action": r[3], "entity": r[4],
             "entity_id": r[5], "before": json.loads(r[6]) if r[6] else None,
             "after": json.loads(r[7]) if r[7] else None} for r in rows]


def _last_id(db: Database) -> int:
    return int(db.cursor().execute("SELECT coalesce(max(id), 0) FROM audit_log").fetchone()[0])


# -- every change is in the log -------------------------------------------------------------------

def _marked(tp: TP) -> tuple[int, int]:
    """Planned and marked: ready to sign."""
    event_id, v = new_session(tp)
    tp.clock.set(tp.practice.event(tp.ann, event_id).end)
    v = tp.practice.save_plan(tp.ann, event_id, v, "First plan")
    return event_id, tp.practice.record_attendance(tp.ann, event_id, v,
                                                   {tp.clients[0]: "attended"})


def _signed(tp: TP) -> tuple[int, int]:
    event_id, v = _marked(tp)
    v = tp.practice.save_outcome(tp.ann, event_id, v,
        OutcomeChange.of(note="First note", homework="Walk",
                                 homework_enabled=True))
    return event_id, tp.practice.sign(tp.ann, event_id, v)


def _reminder_due(tp: TP) -> None:
    """A session at 10:00 with a browser reminder for Cara an hour before; now 09:30."""
    tp.create(reminders=(ReminderRequest("client", tp.clients[0], "browser", 60),))
    tp.clock.set(datetime(2026, 6, 1, 8, 30, tzinfo=UTC))


# Each case: set-up returning (the change, who makes it), then what the new audit rows must say:
# [(action, entity, {before key: value or ANY}, {after key: value or ANY})].
ANY = object()
Change = Callable[[TP], tuple[Callable[[], object], Actor | None]]
Expect = list[tuple[str, str, dict[str, Any] | None, dict[str, Any]]]


def _in(keys: dict[str, Any], seen: dict[str, Any] | None) -> bool:
    if seen is None:
        return False
    return all(k in seen and (v is ANY or seen[k] == v) for k, v in keys.items())


CHANGES: list[tuple[str, Change, Expect]] = [
    ("create an event", lambda tp: (lambda: tp.create(title="Intake"), tp.ann),
     [("create_event", "event", None, {"title": "Intake", "client_ids": ANY, "start": ANY})]),
    ("create a weekly series of 3", lambda tp: (lambda: tp.practice.create_event(
        tp.ann, tp.details(), repeat=Recurrence(1, count=3)), tp.ann),
     [("create_event", "event", None, {"kind": "client_session"})] * 3),
    ("change the details", lambda tp: (lambda e: (lambda: tp.practice.update_details(
        tp.ann, *e, tp.details(title="Renamed")), tp.ann))(new_session(tp, title="Old")),
     [("update_details", "event", {"title": "Old"}, {"title": "Renamed"})]),
    ("reschedule", lambda tp: (lambda e: (lambda: tp.practice.reschedule(
        tp.ann, *e, datetime(2026, 6, 2, 10), datetime(2026, 6, 2, 11)), tp.ann))(
        new_session(tp)), [("reschedule", "event", {"start": "2026-06-01T09:00:00+00:00"},
                         {"start": "2026-06-02T09:00:00+00:00"})]),
    ("cancel", lambda tp: (lambda e: (lambda: tp.practice.cancel(tp.ann, *e, reason="forgot"),
                                      tp.ann))(new_session(tp)),
     [("cancel", "event", {"cancelled_at": None}, {"cancelled_at": ANY, "reason": "forgot"})]),
    ("save the first plan", lambda tp: (lambda e: (lambda: tp.practice.save_plan(
        tp.ann, *e, "Exposure"), tp.ann))(new_session(tp)),
     [("save_plan", "event", None, {"plan_text": "Exposure"})]),
    ("save the plan again", lambda tp: (lambda e: (lambda: tp.practice.save_plan(
        tp.ann, e[0], e[1] + 1, "Second"), tp.ann))((lambda e: (tp.practice.save_plan(
            tp.ann, *e, "First"), e)[1])(new_session(tp))),
     [("save_plan", "event", {"plan_text": "First"}, {"plan_text": "Second"})]),
    ("record attendance and a note", lambda tp: (lambda e: (lambda: tp.practice.save_outcome(
        tp.ann, *e, OutcomeChange.of(attendance={tp.clients[0]: "no_show"},
                                     note="Did not come")), tp.ann))(
        new_session(tp)), [("save_outcome", "event", {"attendance[1]": None},
                         {"attendance[1]": "no_show", "note": "Did not come"})]),
    ("record a status", lambda tp: (lambda e: (lambda: tp.practice.record_status(
        tp.ann, *e, "on_hold"), tp.ann))(new_session(
            tp, kind=EventKind.CLIENT_TEAM_MEETING, direct=False)),
     [("save_outcome", "event", {"status": None}, {"status": "on_hold"})]),
    ("share homework", lambda tp: (lambda e: (lambda: tp.practice.save_outcome(
        tp.ann, *e, OutcomeChange.of(homework="Read", homework_enabled=True,
                                     homework_shared=True)), tp.ann))(
        new_session(tp)), [("save_outcome", "event", {"homework_shared": False},
                         {"homework": "Read", "homework_shared": True})]),
    ("sign", lambda tp: (lambda e: (lambda: tp.practice.sign(tp.ann, *e), tp.ann))(
        _marked(tp)), [("sign", "event", {"signed_at": None}, {"signed_at": ANY})]),
    ("amend the note within 24 hours", lambda tp: (lambda e: (
        lambda: tp.practice.save_outcome(tp.ann, *e,
            OutcomeChange.of(note="Amended")), tp.ann))(_signed(tp)),
     [("amend_outcome", "event", {"note": "First note"}, {"note": "Amended"})]),
    ("amend the plan within 24 hours", lambda tp: (lambda e: (
        lambda: tp.practice.save_plan(tp.ann, *e, "Amended plan"), tp.ann))(_signed(tp)),
     [("save_plan", "event", {"plan_text": "First plan"}, {"plan_text": "Amended plan"})]),
    ("comment after the lock", lambda tp: (lambda e: (tp.clock.advance(timedelta(days=2)), (
        lambda: tp.practice.add_comment(tp.manager, e[0], "Addendum"), tp.manager))[1])(
        _signed(tp)), [("comment", "event", None, {"body": "Addendum", "comment_id": ANY})]),
    ("add a client", lambda tp: (lambda: catalog.add_client(
        tp.db, "Fay Fox", tp.clock(), actor=tp.manager), tp.manager),
     [("add_clients", "clients", None, {"name": "Fay Fox"})]),
    ("add a clinician", lambda tp: (lambda: catalog.add_clinician(
        tp.db, "Gus Green", tp.clock(), actor=tp.manager), tp.manager),
     [("add_clinicians", "clinicians", None, {"name": "Gus Green"})]),
    ("add a service", lambda tp: (lambda: catalog.add_service(
        tp.db, "Couples", 80, tp.clock(), actor=tp.manager), tp.manager),
     [("add_services", "services", None, {"name": "Couples", "default_minutes": 80})]),
    ("add a contact", lambda tp: (lambda: catalog.add_third_party(
        tp.db, tp.clients[0], "Mum", "parent", tp.clock(), actor=tp.ann), tp.ann),
     [("add_third_parties", "third_parties", None, {"name": "Mum", "relationship": "parent"})]),
    ("add a user", lambda tp: (lambda: accounts.create_user(
        tp.db, username="hal", password="long secret", role="manager", display_name="Hal",
        now=tp.clock(), actor=tp.manager), tp.manager),
     [("create_user", "user", None, {"username": "hal", "role": "manager"})]),
    ("send a browser reminder", lambda tp: (_reminder_due(tp), (
        lambda: reminders.dispatch_due(tp.db, tp.clock(), {}), None))[1],
     [("reminder_sent", "reminder", {"state": "pending"}, {"state": "sent"})]),
    ("mark reminders read", lambda tp: (_reminder_due(tp), reminders.dispatch_due(
        tp.db, tp.clock(), {}), (lambda: portal.mark_read(tp.db, tp.client_actor, tp.clock()),
                                 tp.client_actor))[2],
     [("read_notifications", "client", None, {"notification_ids": ANY})]),
]


@pytest.mark.parametrize(("change", "expect"), [c[1:] for c in CHANGES],
                         ids=[c[0] for c in CHANGES])
def test_every_change_writes_who_when_before_and_after(
        tp: TP, change: Change, expect: Expect) -> None:
    call, actor = change(tp)
    before = table_contents(tp.db)
    last = _last_id(tp.db)
    call()
    after = table_contents(tp.db)
    changed = {t for t in after if t != "audit_log" and after[t] != before[t]}
    assert changed, "the change changed nothing"
    rows = _audit(tp.db, last)
    assert [r["action"] for r in rows] == [e[0] for e in expect], rows
    for row, (_, entity, was, now) in zip(rows, expect, strict=True):
        assert row["entity"] == entity and row["entity_id"] is not None
        assert row["user_id"] == (actor.user_id if actor else None), "who"
        assert row["logged_at"] == tp.clock(), "when"
        assert (row["before"] is None) if was is None else _in(was, row["before"]), row
        assert _in(now, row["after"]), row
    assert set(before["audit_log"]) <= set(after["audit_log"]), "an old audit row changed"
    assert "long secret" not in repr(rows)


def test_an_outcome_save_that_changes_nothing_writes_nothing(tp: TP) -> None:
    event_id, v = new_session(tp)
    v = tp.practice.save_outcome(tp.ann, event_id, v, OutcomeChange.of(note="Same"))
    before = table_contents(tp.db)
    assert tp.practice.save_outcome(tp.ann, event_id, v, OutcomeChange.of(note="Same")) == v
    assert table_contents(tp.db) == before


def test_amendments_keep_the_previous_value_who_and_when(tp: TP) -> None:
    event_id, v = _signed(tp)
    tp.clock.advance(timedelta(hours=3))
    tp.practice.save_outcome(tp.ann, event_id, v, OutcomeChange.of(note="Amended",
                             attendance={tp.clients[0]: "late_cancellation"},
                             reasons={tp.clients[0]: "forgot"}))
    rec = tp.practice.event(tp.manager, event_id)
    changes = {(a.field, a.previous_value, a.new_value, a.amended_by, a.amended_at)
               for a in rec.amendments}
    assert changes == {("note", "First note", "Amended", "Ann Archer", tp.clock()),
                       ("attendance", "attended", "late_cancellation", "Ann Archer",
                        tp.clock())}


# -- nothing rewrites the log ----------------------------------------------------------------

_AUDIT = r'"?audit_log"?\b'
REWRITES = re.compile(
    r"\b(?:UPDATE\s+(?:ONLY\s+)?" + _AUDIT
    + r"|DELETE\s+FROM\s+(?:ONLY\s+)?" + _AUDIT
    + r"|DROP\s+(?:TABLE|VIEW)\s+(?:IF\s+EXISTS\s+)?" + _AUDIT
    + r"|TRUNCATE\s+(?:TABLE\s+)?" + _AUDIT
    + r"|ALTER\s+TABLE\s+(?:IF\s+EXISTS\s+)?(?:ONLY\s+)?" + _AUDIT
    + r"|INSERT\s+OR\s+REPLACE\s+INTO\s+" + _AUDIT
    + r"|COPY\s+" + _AUDIT + r"\s+FROM"
    + r"|INTO\s+" + _AUDIT + r"[^;]*?ON\s+CONFLICT[^;]*?DO\s+UPDATE)",
    re.IGNORECASE | re.DOTALL)


def _sources() -> Iterator[tuple[str, str]]:
    """Every packaged .sql file and every Python module of the core and the apps."""
    for package in ("thera_analytics", "dashboards"):
        stack = [(package, resources.files(package))]
        while stack:
            prefix, folder = stack.pop()
            for entry in folder.iterdir():
                name = f"{prefix}/{entry.name}"
                if entry.is_dir():
                    if entry.name != "__pycache__":
                        stack.append((name, entry))
                elif entry.name.endswith((".sql", ".py")):
                    yield name, entry.read_text(encoding="utf-8")


@pytest.mark.parametrize("statement", [
    "UPDATE audit_log SET after = NULL", 'delete from "audit_log" where id = 1',
    "DROP TABLE IF EXISTS audit_log", "TRUNCATE audit_log", "ALTER TABLE audit_log DROP after",
    "INSERT OR REPLACE INTO audit_log VALUES (1)",
    "INSERT INTO audit_log VALUES (1) ON CONFLICT (id) DO UPDATE SET after = NULL",
    "COPY audit_log FROM 'x.csv'",
])
def test_the_scan_finds_a_statement_that_rewrites_the_log(statement: str) -> None:
    assert REWRITES.search(f'cur.execute("{statement}")')


def test_no_packaged_sql_or_module_updates_deletes_drops_or_alters_the_audit_log() -> None:
    scanned = dict(_sources())
    assert sum(name.endswith(".sql") for name in scanned) >= 10
    assert sum(name.endswith(".py") for name in scanned) >= 40
    inserts = [n for n, text in scanned.items() if re.search(r"INSERT\s+INTO\s+audit_log", text)]
    assert inserts == ["thera_analytics/store/queries/audit_append.sql"], "one writer of the log"
    offending = {name: m.group(0) for name, text in scanned.items()
                 if (m := REWRITES.search(text))}
    assert offending == {}


class Recorder:
    """A cursor that notes every statement before running it."""

    def __init__(self, cursor: Any, seen: list[str]) -> None:
        self._cursor, self._seen = cursor, seen

    def execute(self, sql: str, *args: Any, **kw: Any) -> Any:
        self._seen.append(sql)
        return self._cursor.execute(sql, *args, **kw)

    def executemany(self, sql: str, *args: Any, **kw: Any) -> Any:
        self._seen.append(sql)
        return self._cursor.executemany(sql, *args, **kw)

    def sql(self, sql: str, *args: Any, **kw: Any) -> Any:
        self._seen.append(sql)
        return self._cursor.sql(sql, *args, **kw)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._cursor, name)


def test_every_statement_a_whole_lifecycle_runs_only_inserts_into_or_reads_the_log(
        tp: TP, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    seen: list[str] = []
    engine = type(tp.db)  # DuckDB's Database or PostgreSQL's
    plain = engine.cursor
    monkeypatch.setattr(engine, "cursor", lambda self: Recorder(plain(self), seen)
                        if self is tp.db else plain(self))
    p = tp.practice
    ids = p.create_event(tp.ann, tp.details(reminders=(ReminderRequest(
        "client", tp.clients[0], "browser", 60),)), repeat=Recurrence(1, count=2))
    e, v = ids[0], 1
    v = p.update_details(tp.ann, e, v, tp.details(title="Renamed"))
    p.reschedule(tp.ann, ids[1], 1, datetime(2026, 6, 9, 11), datetime(2026, 6, 9, 12),
                 scope="following")
    tp.clock.set(datetime(2026, 6, 1, 8, 30, tzinfo=UTC))
    reminders.dispatch_due(tp.db, tp.clock(), {})
    portal.mark_read(tp.db, tp.client_actor, tp.clock())
    tp.clock.set(datetime(2026, 6, 1, 10, 0, tzinfo=UTC))
    v = p.save_plan(tp.ann, e, v, "Plan")
    v = p.save_outcome(tp.ann, e, v,
        OutcomeChange.of(attendance={tp.clients[0]: "attended"}, note="Note"))
    v = p.sign(tp.ann, e, v)
    v = p.save_outcome(tp.ann, e, v, OutcomeChange.of(note="Amended"))
    tp.clock.advance(timedelta(days=2))
    p.add_comment(tp.ann, e, "Addendum")
    with pytest.raises(PracticeError):
        p.save_outcome(tp.ann, e, v, OutcomeChange.of(note="Locked"))
    p.cancel(tp.ann, ids[1], tp.version(ids[1]), reason="forgot")
    p.week(tp.manager, date(2026, 6, 1))
    tp.db.snapshot(tmp_path / "snapshot.duckdb")
    touching = [s for s in seen if "audit_log" in s.lower()]
    assert touching, "the lifecycle wrote no audit rows at all"
    for statement in touching:
        # A packaged statement may open with comment lines.
        assert re.match(r"(\s*--[^\n]*\n)*\s*(INSERT\s+INTO\s+audit_log\b|SELECT\b)",
                        statement, re.I), statement
    assert not any(REWRITES.search(s) for s in seen)


# -- a locked note cannot be changed by any public path ----------------------------------------

def _locked(tp: TP) -> tuple[int, int]:
    event_id, v = _signed(tp)
    tp.clock.advance(timedelta(hours=24))  # the window closes at exactly 24 hours
    return event_id, v


# Every public method of Practice, as someone would try to change a locked note with it.
ATTEMPTS: dict[str, Callable[[TP, int, int], object]] = {
    "update_details": lambda tp, e, v: tp.practice.update_details(
        tp.ann, e, v, tp.details(title="Changed")),
    "reschedule": lambda tp, e, v: tp.practice.reschedule(
        tp.ann, e, v, datetime(2026, 6, 1, 11), datetime(2026, 6, 1, 11, 50)),
    "cancel": lambda tp, e, v: tp.practice.cancel(tp.ann, e, v, reason="forgot"),
    "save_plan": lambda tp, e, v: tp.practice.save_plan(tp.ann, e, v, "Changed plan"),
    "save_outcome": lambda tp, e, v: tp.practice.save_outcome(tp.ann, e, v,
        OutcomeChange.of(note="Changed")),
    "record_attendance": lambda tp, e, v: tp.practice.record_attendance(
        tp.ann, e, v, {tp.clients[0]: "no_show"}),
    "record_status": lambda tp, e, v: tp.practice.record_status(tp.ann, e, v, "on_hold"),
    "sign": lambda tp, e, v: tp.practice.sign(tp.ann, e, v),
    "save_and_sign": lambda tp, e, v: tp.practice.save_and_sign(
        tp.ann, e, v, OutcomeChange.of(note="Changed")),
}
OUTCOME_CHANGES: list[dict[str, Any]] = [
    {"note": "Changed"}, {"homework": "Changed"}, {"homework_enabled": False},
    {"homework_shared": True}, {"attendance": {1: "no_show"}}, {"attendance": {1: None}},
    {"status": None}, {"status": "completed"}, {"note": "First note", "homework": "x"},
]
# Reads, comments (allowed after the lock), and booking a new event (cannot name this one).
OTHERS = {"now", "event", "week", "plan_prefill", "login", "add_comment", "open",
          "create_event",
          # the reasons list: no event's record (test_cancellation_reasons covers them)
          "cancellation_reasons", "add_cancellation_reason", "retire_cancellation_reason"}


def _record_tables(db: Database, event_id: int) -> dict[str, list[tuple[Any, ...]]]:
    cur = db.cursor()
    return {table: sorted(cur.execute(f"SELECT * FROM {table} WHERE {key} = ?",
                                      [event_id]).fetchall(), key=repr)
            for table, key in (("events", "id"), ("event_clients", "event_id"),
                               ("plans", "event_id"), ("outcomes", "event_id"),
                               ("amendments", "event_id"), ("event_team_members", "event_id"),
                               ("event_third_parties", "event_id"))}


def test_every_public_practice_method_is_covered_here() -> None:
    public = {name for name, _ in inspect.getmembers(Practice, inspect.isfunction)
              if not name.startswith("_")} | {"open"}
    assert public == set(ATTEMPTS) | OTHERS, "a new Practice method: add it to ATTEMPTS"


@pytest.mark.parametrize("method", ATTEMPTS)
def test_a_locked_note_refuses_every_practice_method(tp: TP, method: str) -> None:
    event_id, v = _locked(tp)
    before = table_contents(tp.db)
    with pytest.raises(PracticeError) as refused:
        ATTEMPTS[method](tp, event_id, v)
    assert refused.value.field, refused.value
    assert "sign" in str(refused.value) or "locked" in str(refused.value).lower()
    assert table_contents(tp.db) == before


@pytest.mark.parametrize("changes", OUTCOME_CHANGES, ids=[repr(c) for c in OUTCOME_CHANGES])
def test_a_locked_note_refuses_every_outcome_field(tp: TP, changes: dict[str, Any]) -> None:
    event_id, v = _locked(tp)
    before = table_contents(tp.db)
    with pytest.raises(PracticeError):
        tp.practice.save_outcome(tp.ann, event_id, v, OutcomeChange.of(**changes))
    assert table_contents(tp.db) == before


def test_a_locked_note_refuses_years_later_and_for_everyone(tp: TP) -> None:
    event_id, v = _locked(tp)
    tp.clock.advance(timedelta(days=3650))
    record = _record_tables(tp.db, event_id)
    before = table_contents(tp.db)
    for actor in (tp.ann, tp.ben, tp.manager, tp.client_actor):
        for attempt in ATTEMPTS.values():
            with pytest.raises(PracticeError):
                attempt(TP(**{**tp.__dict__, "ann": actor}), event_id, v)
    assert table_contents(tp.db) == before
    tp.practice.add_comment(tp.ann, event_id, "Only comments, even now")
    assert tp.practice.event(tp.ann, event_id).comments[-1].body == "Only comments, even now"
    assert _record_tables(tp.db, event_id) == record




def test_no_thera_command_changes_a_locked_note(tmp_path: Path) -> None:
    tp = make_practice(str(tmp_path / "practice.duckdb"))
    event_id, _ = _locked(tp)
    # A reminder for the locked session, so `reminders run` has work touching it.
    tp.db.cursor().execute(
        "INSERT INTO reminders (id, event_id, recipient_kind, client_id, channel, lead_minutes,"
        " due_at, state, attempts) VALUES (nextval('reminder_id_seq'), ?, 'client', ?,"
        " 'browser', 60, ?, 'pending', 0)", [event_id, tp.clients[0], tp.clock()])
    before = _record_tables(tp.db, event_id)
    tp.db.close()
    commands = [
        ["report", "attendance", "--db", "practice.duckdb", "--out", "a.csv"],
        ["report", "backlog", "--db", "practice.duckdb", "--out", "b.csv"],
        ["report", "completion", "--db", "practice.duckdb", "--out", "c.csv"],
        ["calendar", "export", "--db", "practice.duckdb", "--clinician", "1", "--out", "x.ics"],
        ["calendar", "export", "--db", "practice.duckdb", "--client", "1", "--out", "y.ics"],
        ["reminders", "run", "--db", "practice.duckdb", "--once"],
        ["sample", "--db", "practice.duckdb", "--quiet"],
        ["init", "--db", "practice.duckdb", "--name", "Again", "--time-zone", "UTC",
         "--manager-password", "secret"],
    ]
    for args in commands:
        result = run_thera(args, tmp_path)
        assert "Traceback" not in result.stderr, result.stderr
        assert result.returncode in (0, 2), (args, result.stderr)
    with Database(tmp_path / "practice.duckdb") as db:
        assert _record_tables(db, event_id) == before


@pytest.fixture
def panel_state() -> Iterator[None]:
    yield
    pn.state.reset()


def test_the_editor_cannot_change_a_locked_note_even_with_its_widgets_forced_open(
        tp: TP, panel_state: None) -> None:
    from dashboards.scheduler.editor import EventEditor
    from thera_analytics.domain.steps import Step

    event_id, _ = _locked(tp)
    before = table_contents(tp.db)
    record_before = _record_tables(tp.db, event_id)
    ed = EventEditor(practice=tp.practice, actor=tp.ann)
    assert ed.open(event_id, Step.OUTCOME)
    assert ed.outcome.note.disabled and not ed.save_outcome.visible  # read-only, as shown
    # A tampered browser sends values to the read-only widgets and presses hidden buttons.
    ed.open(event_id, Step.DETAILS)  # a step's form is filled when the step is shown
    for form in (ed.details, ed.plan, ed.outcome):
        form.editable = True
    ed.details.title.value = "Tampered title"
    ed.details.start.value = "11:00"
    ed.details.end.value = "11:50"
    ed._save_details(False)
    assert "locked" in ed.banner.text.lower() or "signed" in ed.banner.text.lower()
    ed.open(event_id, Step.PLAN)
    ed.plan.plan.value = "Tampered plan"
    ed._save_plan(False)
    ed.open(event_id, Step.OUTCOME)
    ed.outcome.note.value = "Tampered note"
    ed.outcome.homework.value = "Tampered homework"
    ed.outcome._marks[tp.clients[0]].value = "no_show"
    ed._save_outcome()
    assert "locked" in ed.banner.text.lower()
    ed._on_confirm_sign(None)
    ed.open(event_id, Step.DETAILS)
    ed._on_confirm_cancel(None)
    assert table_contents(tp.db) == before
    ed.open(event_id, Step.OUTCOME)
    ed.outcome.comment.value = "A comment is still allowed"
    ed._on_comment(None)
    assert tp.practice.event(tp.ann, event_id).comments[-1].body == "A comment is still allowed"
    assert _record_tables(tp.db, event_id) == record_before
    record = tp.practice.event(tp.ann, event_id)
    assert (record.title, record.plan_text, record.note, record.homework) == (
        "", "First plan", "First note", "Walk")
    assert record.clients[0].attendance is not None and record.clients[0].attendance.value \
        == "attended"
