"""The same practice on both engines: saves, the clinician's week, the practice's week and the
analyst snapshot copy, each against its floor on the same engine.

The DuckDB file the run generated is moved into a PostgreSQL database (``copy_practice``, as
``thera move`` does) on a throwaway cluster, then both are measured in interleaved rounds:

- a plan saved through ``Practice.save_plan`` against a one-row ``UPDATE ... WHERE id AND
  version`` and its commit;
- ``week_events`` for one clinician's week, and for the whole practice's week, against a bare
  indexed ``SELECT`` of the same rows;
- the analyst snapshot (a consistent copy into a new DuckDB file; from PostgreSQL through Arrow)
  against, on PostgreSQL, streaming every table out with ``COPY ... TO STDOUT`` (reading alone,
  no writing), and on DuckDB with no floor (the copy is DuckDB's own ``COPY FROM DATABASE``).

On its own, without the reports ``run.py`` also measures (the full size within about 15
minutes on an idle machine; generating 200 x 260 is most of it the first time):

    python -m benchmarks.engines --practice bench-200x260.duckdb    # generated once, then reused
    python -m benchmarks.engines --quick                            # 3 x 8, a smoke run

``--practice`` keeps the generated practice; a later run with the same file reuses it. Each run
measures a working copy of it, so the saves it makes never change the kept file.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from benchmarks.calendar_and_saves import past_weeks
from benchmarks.generation import generate
from benchmarks.measuring import LARGE, NOW, QUICK, SEED, Plan, Timing, timed
from thera_analytics.clock import FixedClock
from thera_analytics.domain.actor import Actor, Role
from thera_analytics.practice import Practice
from thera_analytics.service.calendar import week_events
from thera_analytics.store import copying
from thera_analytics.store.database import Database

ENGINES = ("duckdb", "postgresql")
MEASURES = ("save", "save_floor", "clinician_week", "clinician_week_floor", "practice_week",
            "practice_week_floor", "snapshot", "snapshot_floor")
LABELS = {
    "save": "Save a plan: Practice.save_plan",
    "save_floor": "floor: UPDATE events SET version ... WHERE id AND version, COMMIT",
    "clinician_week": "One clinician's week: week_events",
    "clinician_week_floor": "floor: SELECT * of the clinician's own events that week "
                            "(PostgreSQL: through events_by_week)",
    "practice_week": "The practice's week: week_events(db, week, None)",
    "practice_week_floor": "floor: SELECT * of the week's events (PostgreSQL: events_by_week)",
    "snapshot": "Analyst snapshot: consistent copy into a new DuckDB file",
    "snapshot_floor": "floor: COPY every table TO STDOUT (PostgreSQL only)",
}
WEEK_COLUMNS = "*"


@contextmanager
def on_both(duckdb_path: Path, pg_url: str | None) -> Iterator[dict[str, Database]]:
    """The practice file and its PostgreSQL copy (moved, then VACUUM ANALYZE), both open."""
    opened: dict[str, Database] = {"duckdb": Database(duckdb_path)}
    try:
        if pg_url is not None:
            # No checksums: nothing compares them here, and at full size they cost minutes.
            copying.copy_practice(opened["duckdb"], pg_url, checksums=False)
            opened["postgresql"] = Database(pg_url)
            opened["postgresql"].cursor().execute("VACUUM ANALYZE")
        yield opened
    finally:
        for db in opened.values():
            db.close()


def _saves(db: Database, picks: list[int]) -> tuple[Callable[[], Any], Callable[[], Any]]:
    practice = Practice(db, FixedClock(NOW))
    users = {int(c): (int(u), str(n)) for c, u, n in db.cursor().execute(
        "SELECT clinician_id, id, display_name FROM users WHERE role = 'clinician' AND active"
        " AND clinician_id IS NOT NULL").fetchall()}
    queue = list(picks)
    count = [0]

    def save() -> Any:
        event_id = queue[count[0] % len(queue)]
        count[0] += 1
        clinician, version = db.cursor().execute(
            "SELECT clinician_id, version FROM events WHERE id = ?", [event_id]).fetchone()
        user_id, name = users[int(clinician)]
        actor = Actor(user_id, Role.CLINICIAN, name, int(clinician))
        return practice.save_plan(actor, event_id, int(version),
                                  f"Plan for the engines benchmark, save {count[0]}")

    def floor() -> Any:
        event_id = queue[count[0] % len(queue)]
        with db.transaction() as cur:
            version = cur.execute("SELECT version FROM events WHERE id = ?",
                                  [event_id]).fetchone()[0]
            cur.execute("UPDATE events SET version = version WHERE id = ? AND version = ?",
                        [event_id, version])

    return save, floor


def _copy_floor(db: Database) -> Callable[[], Any]:
    def read_everything() -> int:
        total = 0
        cur = db.cursor()
        for table in copying.practice_tables(db):
            with cur.connection.cursor().copy(f'COPY "{table}" TO STDOUT') as copy:
                for block in copy:
                    total += len(block)
        return total

    return read_everything


def scans(db: Database, sql: str, params: list[Any]) -> list[str]:
    """The scan nodes of PostgreSQL's plan for one statement (``Seq Scan on events`` is a
    whole-table read; ``Index Scan using ...`` or ``Bitmap Index Scan on ...`` an index)."""
    from thera_analytics.store.postgres import bind

    text, bound = bind(sql, params)
    lines = db.cursor().connection.execute("EXPLAIN " + text, bound).fetchall()
    found = []
    for (line,) in lines:
        node = line.strip().removeprefix("->").strip().split("  (")[0]
        if "Scan" in node and node not in found:
            found.append(node)
    return found


def postgresql_plans(db: Database, pick: int, pair: tuple[Any, int]) -> dict[str, list[str]]:
    """What PostgreSQL reads for the week, its floor and a save's pre-fill (the statement
    that scanned event_clients before migration 012), so a run shows its floor is indexed."""
    from thera_analytics.store.sql import query

    week, clinician = pair
    cur = db.cursor()
    owner, start = cur.execute("SELECT clinician_id, starts_at FROM events WHERE id = ?",
                               [pick]).fetchone()
    clients = sorted(c for (c,) in cur.execute(
        "SELECT client_id FROM event_clients WHERE event_id = ?", [pick]).fetchall())
    plans = {
        "clinician_week": scans(db, db.query("calendar_week"),
                                [week, clinician, clinician, clinician]),
        "clinician_week_floor": scans(
            db, f"SELECT {WEEK_COLUMNS} FROM events WHERE week_start = ? AND clinician_id = ?",
            [week, clinician]),
    }
    if clients:
        plans["save: plan_prefill"] = scans(
            db, query("plan_prefill"),
            [owner, start, pick, clients[0], len(clients), clients, len(clients)])
    return plans


def measure_engines(duckdb_path: Path, pg_url: str | None, plan: Plan,
                    seed: int, plans: dict[str, list[str]] | None = None) -> dict[str, Timing]:
    """Every measurement on each engine, the engines interleaved round by round; ``plans``,
    if given, receives PostgreSQL's scan nodes for the week, its floor and the pre-fill."""
    rng = random.Random(seed)
    timings: dict[str, Timing] = {}
    with on_both(duckdb_path, pg_url) as dbs, tempfile.TemporaryDirectory() as tmp:
        first = dbs["duckdb"]
        weeks = past_weeks(first)
        clinicians = [int(c) for (c,) in first.cursor().execute(
            "SELECT id FROM clinicians ORDER BY id").fetchall()]
        unsigned = [int(e) for (e,) in first.cursor().execute(
            "SELECT e.id FROM events e JOIN event_kinds k ON k.kind = e.kind"
            " LEFT JOIN outcomes o ON o.event_id = e.id WHERE k.event_group = 'client'"
            " AND e.cancelled_at IS NULL AND e.ends_at < ? AND o.signed_at IS NULL"
            " ORDER BY e.id", [NOW]).fetchall()]
        picks = rng.sample(unsigned, min(plan.saves, len(unsigned)))
        rounds = max(plan.saves, plan.calendar_weeks)
        pairs = [(rng.choice(weeks), rng.choice(clinicians)) for _ in range(rounds)]
        if plans is not None and "postgresql" in dbs:
            plans.update(postgresql_plans(dbs["postgresql"], picks[0], pairs[0]))
        steps: dict[str, dict[str, Callable[[int], Any]]] = {}
        for engine, db in dbs.items():
            save, save_floor = _saves(db, picks)
            steps[engine] = {
                "save": lambda i, f=save: f(),
                "save_floor": lambda i, f=save_floor: f(),
                "clinician_week": lambda i, d=db: week_events(d, *pairs[i]),
                "clinician_week_floor": lambda i, d=db: d.cursor().execute(
                    f"SELECT {WEEK_COLUMNS} FROM events WHERE week_start = ?"
                    " AND clinician_id = ?", list(pairs[i])).fetchall(),
                "practice_week": lambda i, d=db: week_events(d, pairs[i][0], None),
                "practice_week_floor": lambda i, d=db: d.cursor().execute(
                    f"SELECT {WEEK_COLUMNS} FROM events WHERE week_start = ?",
                    [pairs[i][0]]).fetchall(),
            }
            for key in steps[engine]:
                timings[f"{engine}.{key}"] = Timing(f"{engine}: {LABELS[key]}")
        repeats = {"save": plan.saves, "save_floor": plan.saves,
                   "clinician_week": plan.calendar_weeks,
                   "clinician_week_floor": plan.calendar_weeks,
                   "practice_week": plan.practice_weeks * 4,
                   "practice_week_floor": plan.practice_weeks * 4}
        for i in range(rounds):
            for key, times in repeats.items():
                if i >= times:
                    continue
                for engine in steps:  # both engines in the same round
                    timed(timings[f"{engine}.{key}"], lambda e=engine, k=key, n=i: steps[e][k](n))
        copies = max(2, plan.repeats // 2)
        for engine in dbs:
            timings[f"{engine}.snapshot"] = Timing(f"{engine}: {LABELS['snapshot']}")
        if "postgresql" in dbs:
            timings["postgresql.snapshot_floor"] = Timing(
                f"postgresql: {LABELS['snapshot_floor']}")
        for n in range(copies):
            for engine, db in dbs.items():
                target = Path(tmp) / f"{engine}-{n}.duckdb"
                timed(timings[f"{engine}.snapshot"], lambda d=db, t=target: d.snapshot(t))
                target.unlink(missing_ok=True)
            if "postgresql" in dbs:
                timed(timings["postgresql.snapshot_floor"], _copy_floor(dbs["postgresql"]))
    return timings


def engine_rows(timings: dict[str, Timing]) -> list[dict[str, Any]]:
    """One row per measurement and engine: median, p95 and the ratio to its floor."""
    rows = []
    for engine in ENGINES:
        for key in ("save", "clinician_week", "practice_week", "snapshot"):
            timing = timings.get(f"{engine}.{key}")
            if timing is None:
                continue
            mine = timing.summary()
            floor = timings.get(f"{engine}.{key}_floor")
            floor_ms = floor.summary()["median_ms"] if floor is not None else None
            rows.append({"engine": engine, "measure": key, "label": LABELS[key],
                         "runs": mine["runs"], "median_ms": mine["median_ms"],
                         "p95_ms": mine["p95_ms"], "floor_ms": floor_ms,
                         "over_floor": round(mine["median_ms"] / floor_ms, 2)
                         if floor_ms else None})
    return rows


def plans_markdown(plans: dict[str, list[str]]) -> list[str]:
    """PostgreSQL's scans per statement, as a list under the table."""
    if not plans:
        return []
    return ["", "PostgreSQL reads (scan nodes of `EXPLAIN`):", ""] + [
        f"- {name}: {'; '.join(found)}" for name, found in plans.items()]


def engine_markdown(rows: list[dict[str, Any]]) -> list[str]:
    lines = [
        "",
        "## Both engines (the same practice; each against its floor on the same engine)",
        "",
        "| measurement | engine | median ms | p95 ms | floor ms | / floor | runs |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        floor = "" if r["floor_ms"] is None else f"{r['floor_ms']:.2f}"
        ratio = "" if r["over_floor"] is None else f"{r['over_floor']:.1f}×"
        lines.append(f"| {r['label']} | {r['engine']} | {r['median_ms']:.2f} | "
                     f"{r['p95_ms']:.2f} | {floor} | {ratio} | {r['runs']} |")
    return lines


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Both engines on one practice, each against "
                                                 "its floor")
    parser.add_argument("--quick", action="store_true",
                        help=f"a smoke run at {QUICK[0]} clinicians x {QUICK[1]} weeks")
    parser.add_argument("--clinicians", type=int, default=None)
    parser.add_argument("--weeks", type=int, default=None)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--practice", type=Path, default=None,
                        help="the generated practice to keep and reuse (generated into it if "
                             "missing); default: a temporary one")
    parser.add_argument("--pg-url", default=None,
                        help="an empty PostgreSQL database (default: a throwaway cluster)")
    parser.add_argument("--out-dir", type=Path, default=Path(__file__).parent / "results")
    args = parser.parse_args(argv)
    clinicians = args.clinicians or (QUICK[0] if args.quick else LARGE[0])
    weeks = args.weeks or (QUICK[1] if args.quick else LARGE[1])
    plan = Plan.for_size(args.quick)
    wall = time.perf_counter()
    load_start = [round(x, 2) for x in os.getloadavg()]
    with tempfile.TemporaryDirectory(prefix="thera-engines-") as tmp:
        kept = args.practice or Path(tmp) / "practice.duckdb"
        if kept.exists():
            generation: dict[str, Any] = {"reused": str(kept.name)}
            _say(f"reusing {kept}")
        else:
            _say(f"generating {clinicians} clinicians x {weeks} weeks into {kept} ...")
            generation = generate(kept, clinicians, weeks, args.seed)
        working = Path(tmp) / "measured.duckdb"
        shutil.copy(kept, working)
        plans: dict[str, list[str]] = {}
        if args.pg_url:
            rows = engine_rows(measure_engines(working, args.pg_url, plan, args.seed, plans))
        else:
            from tests.pg_cluster import running_cluster

            with running_cluster() as cluster:
                rows = engine_rows(measure_engines(working, cluster.create_database(), plan,
                                                   args.seed, plans))
    meta = {"clinicians": clinicians, "weeks": weeks, "seed": args.seed,
            "seconds": round(time.perf_counter() - wall, 1), "generation": generation,
            "load_average": {"start": load_start,
                             "end": [round(x, 2) for x in os.getloadavg()]},
            "postgresql_scans": plans}
    name = "engines-quick" if args.quick else f"engines-{clinicians}x{weeks}"
    text = (f"{clinicians} clinicians x {weeks} weeks, {meta['seconds']:.0f} s, load average "
            f"{load_start[0]} → {meta['load_average']['end'][0]}\n"
            + "\n".join(engine_markdown(rows) + plans_markdown(plans)) + "\n")
    args.out_dir.mkdir(parents=True, exist_ok=True)
    (args.out_dir / f"{name}.json").write_text(json.dumps({**meta, "rows": rows}, indent=2)
                                               + "\n")
    (args.out_dir / f"{name}.md").write_text(text)
    _say(text)


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
