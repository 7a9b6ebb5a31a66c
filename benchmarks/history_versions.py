"""Realistic versions per event for the history cost benchmark's practice.

The sample generator writes one history version per event (``history.fill_from_rows``), valid
from its creation. A practice in use writes one each time an event changes: created, plan
saved, outcome or attendance recorded, signed (and cancelled, for some). ``replace`` rewrites the
generated practice's history that way, set-based, from each event's own columns:

- version 1 at ``events.created_at``: no plan, no outcome, no signature, the dots then;
- a version at ``plans.saved_at``, if the plan was saved;
- a version at the outcome's instant, if one is recorded: ``outcomes.updated_at`` (the generator
  writes the marking instant there), or ``signed_at`` if earlier (an amendment after signing
  moved ``updated_at``; the marks then went in with the signature);
- a version at ``outcomes.signed_at``, if signed;
- a version at ``events.cancelled_at``, if cancelled after its creation;

each holding until the next begins. Steps at the same instant make one version, and no step is
placed before the event's creation. The last version equals the event's rows, so a report as
of "now" read from the history equals the report read from the tables (the benchmark checks
it). Client rows (``event_client_history``) are written by the versions that change them,
as the use cases do: the creation, the outcome (attendance appears with it) and the
cancellation (liveness); a plan or a signature leaves them open. ``events.version`` is set to
the last version, so the benchmark's saves continue the numbering. First visits are rebuilt
with ``history.rebuild_first_visits``.

Rows are inserted in the order a practice appends them, by ``valid_from``: DuckDB finds an
event's versions by scanning with each row group's min/max of ``event_id``, so the physical
order decides what reading an event's versions costs (an as-of report reads the versions of
the events changed since its instant). Before migration 013, when a save still closed the open
version, in unordered rows (a window's output) the close took 9.8 ms of CPU at 200 x 260; by
``valid_from`` 1.5 ms, by event 2.2 ms, against 1.1 ms with one version per event.
"""

from __future__ import annotations

import time
from datetime import datetime
from typing import Any

from thera_analytics.store import Database, history
from thera_analytics.store.sql import query

# Each event's step instants, none before its creation (NULL: the step never happened;
# GREATEST skips NULLs, hence the CASE).
_STEPS = """
CREATE TEMP TABLE bench_steps AS
SELECT event_id, created_at,
       CASE WHEN plan_at IS NOT NULL THEN GREATEST(plan_at, created_at) END AS plan_at,
       CASE WHEN outcome_at IS NOT NULL THEN GREATEST(outcome_at, created_at) END
           AS outcome_at,
       CASE WHEN sign_at IS NOT NULL THEN GREATEST(sign_at, created_at) END AS sign_at,
       CASE WHEN cancel_at IS NOT NULL THEN GREATEST(cancel_at, created_at) END AS cancel_at
FROM (SELECT e.id AS event_id, e.created_at, p.saved_at AS plan_at,
             LEAST(o.updated_at, COALESCE(o.signed_at, o.updated_at)) AS outcome_at,
             o.signed_at AS sign_at, e.cancelled_at AS cancel_at
      FROM events e
      LEFT JOIN plans p ON p.event_id = e.id
      LEFT JOIN outcomes o ON o.event_id = e.id) AS s
"""

# One row per version: its instant and its number.
_VERSIONS = """
CREATE TEMP TABLE bench_versions AS
SELECT event_id, moment AS valid_from,
       CAST(row_number() OVER (PARTITION BY event_id ORDER BY moment) AS INTEGER) AS version
FROM (SELECT event_id, created_at AS moment FROM bench_steps
      UNION SELECT event_id, plan_at FROM bench_steps WHERE plan_at IS NOT NULL
      UNION SELECT event_id, outcome_at FROM bench_steps WHERE outcome_at IS NOT NULL
      UNION SELECT event_id, sign_at FROM bench_steps WHERE sign_at IS NOT NULL
      UNION SELECT event_id, cancel_at FROM bench_steps WHERE cancel_at IS NOT NULL) AS t
"""

# The event as it stood in each version: a step's columns from the version it happened in on.
_HISTORY = """
INSERT INTO event_history ({history_columns})
SELECT v.event_id, v.version, v.valid_from, e.kind, e.clinician_id, e.service_id,
       e.direct, e.series_id, e.starts_at, e.ends_at, e.duration_minutes, e.local_start,
       e.local_date, e.week_start, e.month_key, e.weekday,
       CASE WHEN s.cancel_at <= v.valid_from THEN e.cancelled_at END,
       CASE WHEN s.plan_at <= v.valid_from THEN p.saved_at END,
       CASE WHEN s.outcome_at <= v.valid_from THEN o.status END,
       CASE WHEN s.sign_at <= v.valid_from THEN o.signed_at END,
       CASE WHEN s.sign_at <= v.valid_from THEN o.signed_by END,
       COALESCE(e.dot_details, FALSE),
       COALESCE(e.dot_plan, FALSE) AND COALESCE(s.plan_at <= v.valid_from, FALSE),
       COALESCE(e.dot_outcome, FALSE) AND COALESCE(s.outcome_at <= v.valid_from
                                                   AND s.sign_at <= v.valid_from, FALSE),
       CASE WHEN s.plan_at <= v.valid_from AND s.outcome_at <= v.valid_from
                 AND s.sign_at <= v.valid_from THEN e.completed_at END,
       CASE WHEN v.valid_from = s.sign_at THEN o.signed_by
            WHEN v.valid_from = s.outcome_at THEN o.updated_by
            WHEN v.valid_from = s.plan_at THEN p.saved_by
            ELSE e.updated_by END
FROM bench_versions v
JOIN bench_steps s ON s.event_id = v.event_id
JOIN events e ON e.id = v.event_id
LEFT JOIN plans p ON p.event_id = v.event_id
LEFT JOIN outcomes o ON o.event_id = v.event_id
ORDER BY v.valid_from, v.event_id
"""

# The client rows: written by the versions that change them (creation, outcome, cancellation),
# each valid until the next such version.
_CLIENTS = """
INSERT INTO event_client_history (event_id, version, client_id, attendance, valid_from,
                                  valid_to, starts_at, live)
WITH writers AS (
    SELECT v.event_id, v.version, v.valid_from,
           LEAD(v.valid_from) OVER (PARTITION BY v.event_id ORDER BY v.version) AS valid_to,
           COALESCE(s.outcome_at <= v.valid_from, FALSE) AS marked,
           COALESCE(s.cancel_at <= v.valid_from, FALSE) AS cancelled
    FROM bench_versions v
    JOIN bench_steps s ON s.event_id = v.event_id
    WHERE v.version = 1 OR v.valid_from = s.outcome_at OR v.valid_from = s.cancel_at
)
SELECT ec.event_id, w.version, ec.client_id,
       CASE WHEN w.marked THEN ec.attendance END, w.valid_from, w.valid_to, e.starts_at,
       (k.event_group = 'client' AND NOT w.cancelled)
FROM writers w
JOIN event_clients ec ON ec.event_id = w.event_id
JOIN events e ON e.id = w.event_id
JOIN event_kinds k ON k.kind = e.kind
ORDER BY w.valid_from, ec.event_id, ec.client_id
"""

_EVENT_VERSIONS = """
UPDATE events SET version = n.version
FROM (SELECT event_id, max(version) AS version FROM bench_versions GROUP BY event_id) AS n
WHERE events.id = n.event_id AND events.version <> n.version
"""


def replace(db: Database, now: datetime) -> dict[str, Any]:
    """Rewrite a freshly generated DuckDB practice's one-version history with a version per
    step each event went through (see the module's text). Returns ``counts(db, now)`` and
    the seconds the first visits took (a sweep in Python, once client rows have closed)."""
    assert db.engine == "duckdb", "the practice is generated on DuckDB and copied from there"
    with db.transaction() as cur:
        cur.execute("DELETE FROM first_visit_history")
        cur.execute("DELETE FROM event_client_history")
        cur.execute("DELETE FROM event_history")
        cur.execute(_STEPS)
        cur.execute(_VERSIONS)
        cur.execute(_HISTORY.replace("{history_columns}", query("history_columns")))
        cur.execute(_CLIENTS)
        cur.execute(_EVENT_VERSIONS)
        cur.execute("DROP TABLE bench_versions")
        cur.execute("DROP TABLE bench_steps")
        started = time.perf_counter()
        history.rebuild_first_visits(cur)
        swept = time.perf_counter() - started
    return {**counts(db, now), "first_visits_seconds": round(swept, 1)}


def counts(db: Database, now: datetime) -> dict[str, Any]:
    """Versions per event: the mean, and how many events have each number of versions; and
    the mean over the live client events that had ended by ``now`` (past sessions)."""
    cur = db.cursor()
    past = cur.execute(
        "SELECT count(*), sum(n) FROM (SELECT h.event_id, count(*) AS n FROM event_history h"
        " JOIN events e ON e.id = h.event_id JOIN event_kinds k ON k.kind = e.kind"
        " WHERE k.event_group = 'client' AND e.cancelled_at IS NULL AND e.ends_at < ?"
        " GROUP BY h.event_id) AS x", [now]).fetchone()
    assert past is not None
    rows = cur.execute(
        "SELECT n, count(*) FROM (SELECT event_id, count(*) AS n FROM event_history"
        " GROUP BY event_id) AS x GROUP BY n ORDER BY n").fetchall()
    events = sum(int(c) for _, c in rows)
    versions = sum(int(n) * int(c) for n, c in rows)
    return {"events": events, "versions": versions,
            "versions_per_event": round(versions / events, 2) if events else 0.0,
            "versions_per_past_session": round(int(past[1]) / int(past[0]), 2)
            if past[0] else 0.0,
            "events_by_versions": {str(int(n)): int(c) for n, c in rows}}
