"""A crash never loses an acknowledged save and never leaves half a save behind.

A separate process saves through the use cases on a practice database file, in a loop, and prints
each save twice: ``begin`` (what it is about to do) and ``ack`` (after the commit returned). The
test SIGKILLs it at a random moment, reopens the file (DuckDB replays its write-ahead log) and
checks that

- the database holds exactly the acknowledged saves, plus at most the one save that was in flight,
  wholly or not at all (nothing half-written: an event always has its clients, an outcome its
  audit row, an amendment its audit row...);
- the audit log matches the records: one row per change, the version of every event equals its
  changes, and the latest values in the log are the values in the tables.

This repeats for several kills (``THERA_DURABILITY_KILLS``, default 5); ``THERA_DURABILITY_SEED``
replays a run. The worker also checkpoints now and then, so a kill can land mid-checkpoint.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from copy import deepcopy
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from thera_analytics.domain.actor import Actor
from thera_analytics.domain.details import EventDetails
from thera_analytics.domain.kinds import EventKind
from thera_analytics.domain.outcome_change import OutcomeChange
from thera_analytics.practice import Practice
from thera_analytics.service import accounts, catalog
from thera_analytics.store.database import Database

ROOT = Path(__file__).resolve().parents[2]
KILLS = int(os.environ.get("THERA_DURABILITY_KILLS", "5"))
SEED = int(os.environ.get("THERA_DURABILITY_SEED", str(random.SystemRandom().randrange(10**6))))
# Each run is killed this long after its first acknowledged save (seconds, uniformly).
KILL_AFTER = (0.05, 2.0)
RUN_TIMEOUT = 60.0  # a worker that has not acknowledged anything by then has hung
CHECKPOINT_EVERY = 25
# The worker's clock: July 2026, one minute per save, so every session (June) can be signed
# and amendments stay within their 24 hours.
CLOCK_START = datetime(2026, 7, 1, 9, 0, tzinfo=UTC)
ATTENDANCE = ("attended", "cancelled", "late_cancellation", "no_show", "non_billable")
CLINICIANS = ("ann", "ben")

State = dict[int, dict[str, Any]]
"""event id -> the event's durable state, as read back from the tables (see ``read_state``)."""


def _iso(value: datetime) -> str:
    return value.astimezone(UTC).isoformat()


# -- the state of the records, read straight from the tables -------------------------------------

def read_state(db: Database) -> State:
    """Every event with its clients, plan, outcome, signature, comments and amendment count."""
    cur = db.cursor()
    state: State = {}
    for eid, version, title, start, end, cancelled, clinician in cur.execute(
        "SELECT id, version, title, starts_at, ends_at, cancelled_at IS NOT NULL, clinician_id"
        " FROM events ORDER BY id"
    ).fetchall():
        state[int(eid)] = {
            "version": int(version), "title": title, "start": _iso(start), "end": _iso(end),
            "cancelled": bool(cancelled), "clinician_id": int(clinician), "clients": {},
            "plan": None, "note": None, "signed": False, "comments": [], "amendments": 0,
        }
    for eid, cid, attendance in cur.execute(
            "SELECT event_id, client_id, attendance FROM event_clients").fetchall():
        state[int(eid)]["clients"][str(cid)] = None if attendance is None else str(attendance)
    for eid, plan_text, previous_homework, previous_note in cur.execute(
            "SELECT event_id, plan_text, previous_homework, previous_note FROM plans").fetchall():
        state[int(eid)]["plan"] = [plan_text, previous_homework, previous_note]
    for eid, note, signed in cur.execute(
            "SELECT event_id, note, signed_at IS NOT NULL FROM outcomes").fetchall():
        state[int(eid)]["note"] = note
        state[int(eid)]["signed"] = bool(signed)
    for eid, body in cur.execute("SELECT event_id, body FROM comments ORDER BY id").fetchall():
        state[int(eid)]["comments"].append(body)
    for eid, n in cur.execute(
            "SELECT event_id, count(*) FROM amendments GROUP BY event_id").fetchall():
        state[int(eid)]["amendments"] = int(n)
    return state


def audit_rows(db: Database) -> list[dict[str, Any]]:
    rows = db.cursor().execute(
        "SELECT id, logged_at, user_id, action, entity, entity_id, before, after FROM audit_log"
        " ORDER BY id").fetchall()
    return [{"id": r[0], "logged_at": r[1], "user_id": r[2], "action": r[3], "entity": r[4],
             "entity_id": r[5], "before": json.loads(r[6]) if r[6] else None,
             "after": json.loads(r[7]) if r[7] else None} for r in rows]


# -- what each save does to that state ----------------------------------------------------------

def apply(state: State, spec: dict[str, Any], new_id: int | None = None) -> State:
    """The state after ``spec`` succeeded (``new_id``: the id a create was given)."""
    state = deepcopy(state)
    op = spec["op"]
    if op == "create":
        assert new_id is not None
        state[new_id] = {
            "version": 1, "title": spec["title"], "start": spec["start"], "end": spec["end"],
            "cancelled": False, "clinician_id": spec["clinician_id"],
            "clients": {str(c): None for c in spec["clients"]}, "plan": None, "note": None,
            "signed": False, "comments": [], "amendments": 0,
        }
        return state
    event = state[spec["event_id"]]
    if op == "comment":
        event["comments"].append(spec["body"])
        return state
    event["version"] += 1
    if op == "plan":
        new = [spec["plan"], spec["homework"], ""]
        if event["signed"]:  # within the 24 hours: each changed field is an amendment
            old = event["plan"] or [None, None, None]
            event["amendments"] += sum(1 for a, b in zip(old, new, strict=True) if a != b)
        event["plan"] = new
    elif op == "outcome":
        marks = {str(c): a for c, a in spec["attendance"].items()}
        if event["signed"]:
            changed = sum(1 for c, a in marks.items() if event["clients"][c] != a)
            event["amendments"] += changed + (1 if spec["note"] != event["note"] else 0)
        event["clients"].update(marks)
        event["note"] = spec["note"]
    elif op == "sign":
        event["signed"] = True
    elif op == "reschedule":
        event["start"], event["end"] = spec["start"], spec["end"]
    elif op == "details":
        event["title"] = spec["title"]
        event["clients"] = {str(c): event["clients"].get(str(c)) for c in spec["clients"]}
    elif op == "cancel":
        event["cancelled"] = True
    else:  # pragma: no cover - the worker only writes the ops above
        raise AssertionError(op)
    return state


# -- the worker: a separate process saving in a loop ----------------------------------------------

class StepClock:
    """Moves one minute per save, carrying on from the last audit row after a restart."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def tick(self) -> None:
        self.now += timedelta(minutes=1)


def _choose(rng: random.Random, state: State, seq: str, clients: list[int],
            clinicians: dict[str, Actor]) -> dict[str, Any]:
    """A save that the rules allow in ``state`` (so only a crash can stop it)."""
    live = [i for i, e in state.items() if not e["cancelled"]]
    unsigned = [i for i in live if not state[i]["signed"]]
    marked = [i for i in unsigned if state[i]["clients"] and state[i]["plan"] is not None
              and all(a is not None for a in state[i]["clients"].values())]
    options: list[tuple[str, int]] = [("create", 4)]
    if live:
        options += [("plan", 3), ("outcome", 4), ("comment", 2)]
    if unsigned:
        options += [("reschedule", 2), ("details", 2), ("cancel", 1)]
    if marked:
        options.append(("sign", 3))
    op = rng.choices([o for o, _ in options], [w for _, w in options])[0]
    if op == "create":
        owner = rng.choice(CLINICIANS)
        group = rng.random() < 0.3
        chosen = sorted(rng.sample(clients, rng.randint(2, 3) if group else 1))
        start = datetime(2026, 6, rng.randint(1, 28), rng.randint(7, 16), rng.choice((0, 30)),
                         tzinfo=UTC)
        return {"op": "create", "owner": owner, "group": group, "clients": chosen,
                "clinician_id": clinicians[owner].clinician_id, "title": f"session {seq} ✓",
                "start": _iso(start), "end": _iso(start + timedelta(minutes=50))}
    pool = {"sign": marked, "reschedule": unsigned, "details": unsigned, "cancel": unsigned}
    event_id = rng.choice(pool.get(op, live))
    event = state[event_id]
    owner = next(n for n, a in clinicians.items() if a.clinician_id == event["clinician_id"])
    spec: dict[str, Any] = {"op": op, "event_id": event_id, "owner": owner,
                            "version": event["version"]}
    if op == "plan":
        spec.update(plan=f"plan {seq}: graded exposure ⟨é⟩", homework=f"homework {seq}")
    elif op == "outcome":
        spec.update(attendance={c: rng.choice(ATTENDANCE) for c in event["clients"]},
                    note=f"note {seq}\nמשפט RTL \u200f and 👩‍⚕️")
    elif op == "comment":
        spec.update(body=f"comment {seq}")
    elif op == "reschedule":
        old = datetime.fromisoformat(event["start"])
        start = old.replace(day=rng.choice([d for d in range(1, 29) if d != old.day]))
        spec.update(start=_iso(start), end=_iso(start + timedelta(minutes=50)))
    elif op == "details":
        current = sorted(int(c) for c in event["clients"])
        if len(current) > 1:  # a group session: change who is in it
            current = sorted(rng.sample(clients, rng.randint(2, 3)))
        spec.update(title=f"renamed {seq}", clients=current, group=len(current) > 1,
                    start=event["start"], end=event["end"],
                    clinician_id=event["clinician_id"])
    return spec


def _perform(practice: Practice, clinicians: dict[str, Actor], service: int,
             spec: dict[str, Any]) -> dict[str, Any]:
    actor = clinicians[spec["owner"]]
    op = spec["op"]
    if op in ("create", "details"):
        details = EventDetails(
            kind=EventKind.GROUP_SESSION if spec["group"] else EventKind.CLIENT_SESSION,
            clinician_id=spec["clinician_id"], start=datetime.fromisoformat(spec["start"]),
            end=datetime.fromisoformat(spec["end"]), title=spec["title"], service_id=service,
            client_ids=tuple(spec["clients"]), direct=True)
        if op == "create":
            return {"ids": practice.create_event(actor, details, allow_overlap=True)}
        return {"version": practice.update_details(actor, spec["event_id"], spec["version"],
                                                   details, allow_overlap=True)}
    eid, version = spec["event_id"], spec["version"]
    if op == "plan":
        return {"version": practice.save_plan(actor, eid, version, spec["plan"],
                                              previous_homework=spec["homework"],
                                              previous_note="")}
    if op == "outcome":
        marks = {int(c): a for c, a in spec["attendance"].items()}
        reasons = {c: "forgot" for c, a in marks.items() if a in ("cancelled",
                                                                   "late_cancellation")}
        return {"version": practice.save_outcome(actor, eid, version,
            OutcomeChange.of(attendance=marks,
                                                 note=spec["note"], reasons=reasons))}
    if op == "sign":
        return {"version": practice.sign(actor, eid, version)}
    if op == "comment":
        return {"comment_id": practice.add_comment(actor, eid, spec["body"])}
    if op == "reschedule":
        return {"ids": practice.reschedule(actor, eid, version,
                                           datetime.fromisoformat(spec["start"]),
                                           datetime.fromisoformat(spec["end"]),
                                           allow_overlap=True)}
    if op == "cancel":
        return {"ids": practice.cancel(actor, eid, version, reason="forgot")}
    raise AssertionError(op)  # pragma: no cover


def _say(**message: Any) -> None:
    # One write per line: a kill can cut the last line short, never interleave two.
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def worker(db_path: str, seed: int, run: int) -> None:
    """Save through the use cases until killed, announcing each save before and after."""
    rng = random.Random(seed * 1000 + run)
    clock = StepClock(CLOCK_START)
    practice = Practice.open(db_path, clock)
    db = practice.db
    last = db.cursor().execute("SELECT max(logged_at) FROM audit_log").fetchone()[0]
    if last is not None and last >= clock.now:
        clock.now = last + timedelta(minutes=1)
    clinicians = {name: accounts.actor_for(db, name) for name in CLINICIANS}
    clients = [int(i) for i in catalog.clients(db)["id"]]
    service = int(catalog.services(db)["id"].iloc[0])
    state = read_state(db)
    _say(ready=run)
    n = 0
    while True:
        n += 1
        seq = f"{run}.{n}"
        spec = _choose(rng, state, seq, clients, clinicians)
        _say(begin=spec, seq=seq)
        result = _perform(practice, clinicians, service, spec)
        _say(ack=seq, result=result)
        state = apply(state, spec, result["ids"][0] if spec["op"] == "create" else None)
        clock.tick()
        if n % CHECKPOINT_EVERY == 0:
            db.cursor().execute("CHECKPOINT")


# -- the test ------------------------------------------------------------------------------------

class Run:
    """One worker process, its output read as it comes (so the pipe never fills)."""

    def __init__(self, db_path: Path, run: int) -> None:
        self.lines: list[dict[str, Any]] = []
        self.first_ack = threading.Event()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.reliability.test_durability", str(db_path), str(SEED),
             str(run)],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for raw in self.proc.stdout:
            if not raw.endswith(b"\n"):
                break  # the kill cut this line short: it was never said
            message = json.loads(raw)
            self.lines.append(message)
            if "ack" in message:
                self.first_ack.set()

    def kill_after(self, delay: float) -> None:
        if not self.first_ack.wait(RUN_TIMEOUT):
            self.proc.kill()
            raise AssertionError(f"the worker acknowledged nothing: {self._stderr()}")
        # The one timed pause on purpose: the kill lands a chosen delay into the saves (no
        # event marks "in the middle of a save"; the worker acknowledges only finished ones).
        time.sleep(delay)
        if self.proc.poll() is not None:
            raise AssertionError(f"the worker stopped by itself: {self._stderr()}")
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(RUN_TIMEOUT)
        self._reader.join(RUN_TIMEOUT)
        assert self.proc.returncode == -signal.SIGKILL

    def _stderr(self) -> str:
        assert self.proc.stderr is not None
        self.proc.wait(5)
        return self.proc.stderr.read().decode(errors="replace")[-3000:]

    def saves(self) -> tuple[list[tuple[dict[str, Any], dict[str, Any]]], dict[str, Any] | None]:
        """The acknowledged saves (spec, result) in order, and the one in flight, if any."""
        begun: dict[str, dict[str, Any]] = {}
        acked = []
        last_begun = last_acked = None
        for message in self.lines:
            if "begin" in message:
                begun[message["seq"]] = message["begin"]
                last_begun = message["seq"]
            elif "ack" in message:
                acked.append((begun[message["ack"]], message["result"]))
                last_acked = message["ack"]
        in_flight = begun[last_begun] if last_begun not in (None, last_acked) else None
        return acked, in_flight


def _check_audit_matches(state: State, audit: list[dict[str, Any]],
                         amendments: list[tuple[int, datetime, int]]) -> None:
    """The audit log and the records tell the same story, change for change."""
    by_event: dict[int, list[dict[str, Any]]] = {}
    for row in audit:
        if row["entity"] == "event":
            by_event.setdefault(int(row["entity_id"]), []).append(row)
    assert set(by_event) == set(state), "an event without its audit rows, or the reverse"
    amended = {(e, at): n for e, at, n in amendments}
    for event_id, event in state.items():
        rows = by_event[event_id]
        changes = [r for r in rows if r["action"] != "comment"]
        assert changes[0]["action"] == "create_event"
        assert event["version"] == len(changes), f"event {event_id}: version vs audit rows"
        comments = [r["after"]["body"] for r in rows if r["action"] == "comment"]
        assert comments == event["comments"]
        plans = [r["after"] for r in rows if r["action"] == "save_plan"]
        assert (event["plan"] is None) == (not plans)
        if plans:
            assert [plans[-1]["plan_text"], plans[-1]["previous_homework"],
                    plans[-1]["previous_note"]] == event["plan"]
        notes = [r["after"]["note"] for r in rows
                 if r["action"] in ("save_outcome", "amend_outcome") and "note" in r["after"]]
        assert (notes[-1] if notes else None) == event["note"], f"event {event_id}: note"
        assert event["signed"] == any(r["action"] == "sign" for r in rows)
        assert event["cancelled"] == any(r["action"] == "cancel" for r in rows)
        titles = [r["after"]["title"] for r in rows
                  if r["action"] in ("create_event", "update_details")]
        assert titles[-1] == event["title"]
        times = [r["after"] for r in rows
                 if r["action"] in ("create_event", "update_details", "reschedule")]
        assert datetime.fromisoformat(times[-1]["start"]) == datetime.fromisoformat(
            event["start"])
        for c, mark in event["clients"].items():
            marks = [r["after"][f"attendance[{c}]"] for r in rows
                     if f"attendance[{c}]" in (r["after"] or {})
                     and r["logged_at"] >= _joined(rows, c)]
            assert (marks[-1] if marks else None) == mark, f"event {event_id}: client {c}"
        signed_at = next((r["logged_at"] for r in rows if r["action"] == "sign"), None)
        total = 0
        for r in rows:  # each amendment was written with its change's audit row
            want = 0
            if r["action"] == "amend_outcome":
                # A cancellation's reason is kept in its own append-only record, not as an
                # amendment.
                want = len([k for k in r["after"] if not k.startswith("reason_")])
            elif r["action"] == "save_plan" and signed_at and r["logged_at"] > signed_at:
                want = sum(1 for k, v in r["after"].items() if (r["before"] or {}).get(k) != v)
            assert amended.get((event_id, r["logged_at"]), 0) == want, f"event {event_id}"
            total += want
        assert total == event["amendments"]


def _joined(rows: list[dict[str, Any]], client: str) -> datetime:
    """When the client was (last) added to the session: earlier marks belong to a former stay."""
    joined = rows[0]["logged_at"]
    for r in rows:
        if r["action"] in ("create_event", "update_details"):
            before = (r["before"] or {}).get("client_ids", [])
            if int(client) in r["after"]["client_ids"] and int(client) not in before:
                joined = r["logged_at"]
    return joined


def _verify(db_path: Path, expected: State, in_flight: dict[str, Any] | None,
            setup_audit: int, acked_total: int) -> tuple[State, bool]:
    """Reopen after a kill; returns the state found and whether the in-flight save landed."""
    with Database(db_path) as db:  # opening replays the write-ahead log
        found = read_state(db)
        audit = audit_rows(db)
        amendments = [(int(e), at, int(n)) for e, at, n in db.cursor().execute(
            "SELECT event_id, amended_at, count(*) FROM amendments"
            " GROUP BY event_id, amended_at").fetchall()]
        orphans = db.cursor().execute(
            "SELECT (SELECT count(*) FROM outcomes WHERE event_id NOT IN"
            "  (SELECT entity_id FROM audit_log WHERE action IN"
            "   ('save_outcome', 'amend_outcome', 'sign'))),"
            " (SELECT count(*) FROM plans WHERE event_id NOT IN"
            "  (SELECT entity_id FROM audit_log WHERE action = 'save_plan')),"
            " (SELECT count(*) FROM events WHERE id NOT IN"
            "  (SELECT event_id FROM event_clients))").fetchone()
    assert orphans == (0, 0, 0), "an outcome or plan without its audit row, or a bare event"
    landed = False
    if found != expected:
        assert in_flight is not None, "an acknowledged save is missing or changed"
        new_id = None
        if in_flight["op"] == "create":
            new_ids = sorted(set(found) - set(expected))
            assert len(new_ids) == 1, f"a half-made create: {new_ids}"
            new_id = new_ids[0]
        assert found == apply(expected, in_flight, new_id), "the save in flight is half-written"
        landed = True
    # Every save the worker makes writes exactly one audit row.
    assert len(audit) - setup_audit == acked_total + landed, "audit rows vs saves"
    _check_audit_matches(found, audit, amendments)
    return found, landed


def test_killed_mid_save_loses_no_acknowledged_save_and_leaves_nothing_half_written(
        tmp_path: Path) -> None:
    from tests.factories import make_practice

    db_path = tmp_path / "durable.duckdb"
    tp = make_practice(str(db_path))
    setup_audit = len(audit_rows(tp.db))
    expected = read_state(tp.db)
    tp.db.close()
    rng = random.Random(SEED)
    figures = {"seed": SEED, "kills": 0, "acknowledged_saves": 0, "in_flight_landed": 0,
               "in_flight_lost": 0, "events": 0}
    started = time.perf_counter()
    acked_total = 0
    for run in range(KILLS):
        worker_run = Run(db_path, run)
        worker_run.kill_after(rng.uniform(*KILL_AFTER))
        acked, in_flight = worker_run.saves()
        assert acked, "the run was killed before its first acknowledged save"
        for spec, result in acked:
            expected = apply(expected, spec, result["ids"][0] if spec["op"] == "create" else None)
        acked_total += len(acked)
        expected, landed = _verify(db_path, expected, in_flight, setup_audit,
                                   acked_total)
        if landed:
            acked_total += 1
        figures["kills"] += 1
        figures["acknowledged_saves"] += len(acked)
        figures["in_flight_landed" if landed else "in_flight_lost"] += in_flight is not None
    figures["events"] = len(expected)
    figures["seconds"] = round(time.perf_counter() - started, 1)
    (tmp_path / "durability.json").write_text(json.dumps(figures, indent=2))
    print("durability:", json.dumps(figures))
    assert figures["kills"] == KILLS


if __name__ == "__main__":
    worker(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))
