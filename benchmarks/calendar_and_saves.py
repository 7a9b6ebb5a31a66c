"""The calendars (one clinician's week, the practice's week) and the saves, timed."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pandas as pd

from benchmarks.measuring import (
    NOW,
    PRACTICE_WEEK_PARTS,
    Plan,
    Timing,
    timed,
)
from thera_analytics.clock import FixedClock
from thera_analytics.domain.actor import Actor, Role
from thera_analytics.domain.outcome_change import OutcomeChange
from thera_analytics.practice import Practice
from thera_analytics.service.calendar import week_events
from thera_analytics.store.database import Database


# -- calendar --------------------------------------------------------------------------------------
def past_weeks(db: Database) -> list[date]:
    """Mondays of the weeks before the one containing NOW (whole, fully recorded weeks)."""
    this_week = NOW.astimezone(db.zone).date()
    this_week -= timedelta(days=this_week.weekday())
    frame = db.df("SELECT DISTINCT week_start FROM events WHERE week_start < ? ORDER BY 1",
                  [this_week])
    return [pd.Timestamp(w).date() for w in frame["week_start"]]


def clinician_weeks(db: Database, plan: Plan, rng: random.Random) -> Timing:
    """``week_events`` for one clinician's week, over many (week, clinician) pairs."""
    weeks = past_weeks(db)
    clinicians = db.df("SELECT id FROM clinicians ORDER BY id")["id"].astype(int).tolist()
    picks = [(rng.choice(weeks), rng.choice(clinicians)) for _ in range(plan.calendar_weeks)]
    week_events(db, *picks[0])
    timing = Timing("One clinician's week: week_events(db, week, clinician_id)",
                    note=f"{len(picks)} random (week, clinician) pairs")
    for week, clinician in picks:
        timed(timing, lambda w=week, c=clinician: week_events(db, w, c))
    return timing


def practice_week_steps(db: Database) -> tuple[str, list[tuple[str, Callable[[date, Any], Any]]]]:
    """How the practice week is built: dashboards/practice's ``PracticeWeek`` (read, lanes
    layout, HoloViews elements), then its Bokeh models. Each step takes the week and the
    previous step's result."""
    import panel as pn

    from dashboards.practice.context import PracticeContext
    from dashboards.practice.practice_week import PracticeWeek

    manager = Actor(None, Role.MANAGER, "Benchmark")

    def view(week: date, _: object) -> Any:
        context = PracticeContext(db=db, actor=manager, clock=FixedClock(NOW), week=week,
                                  as_of=NOW)
        return PracticeWeek(context=context)

    return "dashboards/practice PracticeWeek", [
        ("view", view),
        ("panel", lambda week, practice_week: pn.panel(practice_week).get_root()),
    ]


def practice_weeks(db: Database, plan: Plan, rng: random.Random) -> dict[str, Timing]:
    """The whole practice's week: its query alone, then the view built and its Bokeh models."""
    source, steps = practice_week_steps(db)
    weeks = rng.sample(past_weeks(db), plan.practice_weeks)
    note = f"{len(weeks)} random weeks; {source}"
    labels = {
        "query": "Practice week: week_events(db, week, None) alone (also inside the view)",
        "view": "Practice week: view built (read, layout, HoloViews elements)",
        "panel": "Practice week: Bokeh models (get_root)",
        "total": "Practice week: view + Bokeh models",
    }
    parts = {k: Timing(labels[k], note=note) for k in PRACTICE_WEEK_PARTS}
    for i, week in enumerate([weeks[0], *weeks]):
        query = Timing("query")
        timed(query, lambda w=week: week_events(db, w, None))
        run_parts = {name: Timing(name) for name, _ in steps}
        result = None
        for name, step in steps:
            result = timed(run_parts[name], lambda w=week, r=result, f=step: f(w, r))
        if i == 0:
            continue  # warm-up: first use of the plotting stack
        for k, t in [("query", query), *run_parts.items()]:
            parts[k].wall += t.wall
            parts[k].cpu += t.cpu
        parts["total"].wall.append(sum(t.wall[0] for t in run_parts.values()))
        parts["total"].cpu.append(sum(t.cpu[0] for t in run_parts.values()))
    return parts



# -- saves -----------------------------------------------------------------------------------------
def saves(db: Database, plan: Plan, rng: random.Random) -> dict[str, Timing]:
    """Plans and outcomes saved through ``Practice`` on real unsigned past sessions.

    Each save is one use case: load, owner and version check, the rules, write, audit row, one
    transaction. The arguments are what the editor sends (the plan form's pre-filled fields).
    """
    practice = Practice(db, FixedClock(NOW))
    candidates = db.df(
        "SELECT e.id, e.version, e.direct, u.id AS user_id, u.display_name, e.clinician_id"
        " FROM events e"
        " JOIN event_kinds k ON k.kind = e.kind"
        " JOIN users u ON u.clinician_id = e.clinician_id AND u.role = 'clinician' AND u.active"
        " LEFT JOIN outcomes o ON o.event_id = e.id"
        " WHERE k.event_group = 'client' AND e.cancelled_at IS NULL AND e.ends_at < ?"
        "   AND o.signed_at IS NULL ORDER BY e.id", [NOW]).drop_duplicates("id")
    picked = candidates.iloc[sorted(rng.sample(range(len(candidates)),
                                               min(plan.saves, len(candidates))))]
    audit_before = count_rows(db, "audit_log")
    run_mark = f"benchmark {datetime.now(UTC):%Y-%m-%d %H:%M:%S.%f}"
    note = f"{len(picked)} unsigned past client sessions, each saved once"
    timings = {
        "plan": Timing("Save a plan: Practice.save_plan", note=note),
        "outcome": Timing("Save an outcome (attendance or status, note): Practice.save_outcome",
                          note=note),
    }
    for row in picked.itertuples(index=False):
        actor = Actor(int(row.user_id), Role.CLINICIAN, str(row.display_name),
                      int(row.clinician_id))
        clients = db.df("SELECT client_id FROM event_clients WHERE event_id = ?",
                        [int(row.id)])["client_id"].astype(int).tolist()
        # Text new to this run, so every save changes something (an unchanged save writes
        # nothing), also when --reuse measures a database saved into before.
        text = f"({run_mark})"
        version = timed(timings["plan"], lambda r=row, a=actor, t=text: practice.save_plan(
            a, int(r.id), int(r.version), f"Review the week's goals; practise the plan {t}.",
            previous_homework="", previous_note=""))
        outcome: dict[str, Any] = (
            {"attendance": dict.fromkeys(clients, "attended")} if bool(row.direct)
            else {"status": "completed"})
        timed(timings["outcome"], lambda r=row, a=actor, v=version, o=outcome, t=text:
              practice.save_outcome(a, int(r.id), v,
                  OutcomeChange.of(note=f"Session went as planned {t}.", **o)))
    written = count_rows(db, "audit_log") - audit_before
    assert written == 2 * len(picked), f"{written} audit rows for {2 * len(picked)} saves"
    return timings


def count_rows(db: Database, table: str) -> int:
    return int(db.cursor().execute(f"SELECT count(*) FROM {table}").fetchone()[0])  # type: ignore
