"""Profiles (pyinstrument) of the parts of the benchmark that miss their targets.

    python -m benchmarks.profiles --db PRACTICE.duckdb [--out benchmarks/results/profiles.txt]

Run it on a database a benchmark generated (``python -m benchmarks.run --db ...``): it saves
plans and outcomes into it. Profiles one clinician's week (200 random weeks), the attendance
report for one month and a plan and an outcome saved (100 sessions each).
"""

from __future__ import annotations

import argparse
import random
from collections.abc import Callable
from datetime import date
from pathlib import Path

from pyinstrument import Profiler

from benchmarks.run import NOW, past_weeks
from thera_analytics.clock import FixedClock
from thera_analytics.domain.actor import Actor, Role
from thera_analytics.domain.outcome_change import OutcomeChange
from thera_analytics.practice import Practice
from thera_analytics.reports import attendance_breakdowns
from thera_analytics.service.calendar import week_events
from thera_analytics.store.database import Database


def profile(title: str, work: Callable[[], None]) -> str:
    profiler = Profiler(interval=0.0002)
    with profiler:
        work()
    text = profiler.output_text(unicode=False, color=False, show_all=False)
    # No paths of the machine it ran on: the "Profile at" line names this file absolutely.
    text = "\n".join(line for line in text.splitlines() if not line.startswith("Profile at"))
    text = text.replace(str(Path.cwd()) + "/", "")
    return f"## {title}\n\n```\n{text}\n```\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, type=Path)
    parser.add_argument("--out", type=Path, default=Path("benchmarks/results/profiles.md"))
    args = parser.parse_args(argv)
    db = Database(args.db)
    rng = random.Random(7)
    weeks = past_weeks(db)
    clinicians = [int(r[0]) for r in db.cursor().execute("SELECT id FROM clinicians").fetchall()]
    picks = [(rng.choice(weeks), rng.choice(clinicians)) for _ in range(200)]
    week_events(db, *picks[0])
    parts = [profile("One clinician's week, 200 times (week_events)",
                     lambda: [week_events(db, w, c) for w, c in picks] and None)]
    attendance_breakdowns(db, date(2026, 5, 1), date(2026, 5, 31))
    parts.append(profile("Attendance report for one month, 20 times (attendance_breakdowns)",
                         lambda: [attendance_breakdowns(db, date(2026, 5, 1), date(2026, 5, 31))
                                  for _ in range(20)] and None))
    practice = Practice(db, FixedClock(NOW))
    rows = db.cursor().execute(
        "SELECT e.id, e.version, e.direct, u.id, u.display_name, e.clinician_id FROM events e"
        " JOIN users u ON u.clinician_id = e.clinician_id AND u.role = 'clinician'"
        " LEFT JOIN outcomes o ON o.event_id = e.id"
        " WHERE e.dot_details AND e.cancelled_at IS NULL AND e.ends_at < ?"
        " AND o.signed_at IS NULL ORDER BY hash(e.id) LIMIT 100", [NOW]).fetchall()

    def saves() -> None:
        for event_id, version, direct, user_id, name, clinician_id in rows:
            actor = Actor(int(user_id), Role.CLINICIAN, str(name), int(clinician_id))
            clients = [int(r[0]) for r in db.cursor().execute(
                "SELECT client_id FROM event_clients WHERE event_id = ?", [event_id]).fetchall()]
            v = practice.save_plan(actor, event_id, version, f"Profiled plan {event_id}",
                                   previous_homework="", previous_note="")
            marks = {"attendance": dict.fromkeys(clients, "attended")} if direct else {
                "status": "completed"}
            practice.save_outcome(actor, event_id, v,
                OutcomeChange.of(note=f"Profiled note {event_id}", **marks))

    parts.append(profile("A plan and an outcome saved, 100 sessions (Practice.save_plan, "
                         "Practice.save_outcome)", saves))
    db.close()
    args.out.write_text("# Profiles of the slow parts\n\n" + "\n".join(parts), encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
