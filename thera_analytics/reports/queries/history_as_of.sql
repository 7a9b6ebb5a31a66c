-- The practice's events as they stood at an instant, read from the event history (migration
-- 008): common table expressions named like the tables the report queries read (events,
-- event_clients, plans, outcomes), holding the versions valid then. reports.source puts them in
-- front of a report query, whose FROM events ... then reads the past instead of the present.
-- {as_of} is the instant, written in by reports.source as a TIMESTAMPTZ literal.
-- NOT MATERIALIZED: each of those is inlined where it is used, so a report's own filters (its
-- period, a clinician) reach the scans instead of a copy of every row being made first.
-- A version holds from its valid_from until the next version of its event begins (migration
-- 013). So the events that no version began after the instant still hold its state in their
-- rows, and are read from the tables (as the same report now reads them, its filters reaching
-- the tables' scans); only the events changed since, few for a recent instant, are read from
-- their versions: the last one begun by the instant, the one whose next version began after
-- it. Both are worked out once (MATERIALIZED: short lists, each joined three times below).
-- The events changed since, each with its first version begun after the instant.
thera_changed AS MATERIALIZED (
    SELECT n.event_id, MIN(n.version) AS version
    FROM event_history n
    WHERE n.valid_from > {as_of}
    GROUP BY n.event_id
),
-- The versions valid then of the events changed since: the version before the first one
-- begun after the instant (none for an event created after it). For a report of some local
-- days, only those starting within a day of them ({client_days}, as for the client rows
-- below; c is the version here): the scan then reads the other columns of few rows.
thera_versions_then AS MATERIALIZED (
    SELECT c.*
    FROM event_history c
    JOIN thera_changed n ON n.event_id = c.event_id AND c.version = n.version - 1
    WHERE {client_days}
),
-- Inside its own definition a common table expression's name is the table's: FROM events
-- here reads the table.
events AS NOT MATERIALIZED (
    SELECT e.id, e.version, e.kind, e.clinician_id, e.service_id, e.direct, e.series_id,
           e.starts_at, e.ends_at, e.duration_minutes, e.local_start, e.local_date,
           e.week_start, e.month_key, e.weekday, e.cancelled_at,
           COALESCE(e.dot_details, FALSE) AS dot_details,
           COALESCE(e.dot_plan, FALSE) AS dot_plan,
           COALESCE(e.dot_outcome, FALSE) AS dot_outcome, e.completed_at
    FROM events e
    WHERE NOT EXISTS (SELECT 1 FROM thera_changed c WHERE c.event_id = e.id)
    UNION ALL
    SELECT h.event_id AS id, h.version, h.kind, h.clinician_id, h.service_id, h.direct,
           h.series_id, h.starts_at, h.ends_at, h.duration_minutes, h.local_start, h.local_date,
           h.week_start, h.month_key, h.weekday, h.cancelled_at, h.dot_details, h.dot_plan,
           h.dot_outcome, h.completed_at
    FROM thera_versions_then h
),
plans AS NOT MATERIALIZED (
    SELECT p.event_id, p.saved_at
    FROM plans p
    WHERE NOT EXISTS (SELECT 1 FROM thera_changed c WHERE c.event_id = p.event_id)
    UNION ALL
    SELECT h.event_id, h.plan_saved_at AS saved_at
    FROM thera_versions_then h
    WHERE h.plan_saved_at IS NOT NULL
),
-- The report queries read outcomes through a LEFT JOIN, or on signed_at: a version's row
-- with no status or signature reads as no outcome at all, as a missing row does.
outcomes AS NOT MATERIALIZED (
    SELECT o.event_id, o.status, o.signed_at, o.signed_by
    FROM outcomes o
    WHERE NOT EXISTS (SELECT 1 FROM thera_changed c WHERE c.event_id = o.event_id)
    UNION ALL
    SELECT h.event_id, h.status, h.signed_at, h.signed_by
    FROM thera_versions_then h
),
-- The clients of the versions valid then (each client row carries its version's validity),
-- read as two disjoint parts: the rows still open that had begun by then, and the closed rows
-- that had begun and not yet ended (client rows keep their valid_to: migration 013). The
-- same rows as one filter, but DuckDB estimates each part as large as the one filter, so the
-- client rows come out the larger side of their join with the versions a report's period
-- selects: it builds its hash table on those versions and skips the client rows of other events
-- as it scans, instead of building one of every client row (at 200 clinicians x 5 years the
-- as-of attendance report took 2.7x the report now, and session_facts 3.5x; benchmarks/README.md,
-- "Event history cost"). A planner choice, not a rule: benchmarks/history_cost.py is what shows
-- it still holds.
-- {client_days} is TRUE, or for a report of some local days (reports.source, days=) a test
-- keeping the rows whose start (each client row repeats its version's) is within a day of
-- them: the report's period then narrows the client rows before anything is joined to them.
-- Without it session_facts joined every open client row (1.55 M at 200 clinicians x 5 years)
-- to the first visits and built its join with the versions on them (the versions, carrying
-- more columns, looked dearer to build on), 5.6x the report now.
thera_client_versions AS NOT MATERIALIZED (
    SELECT c.event_id, c.client_id, c.attendance, c.starts_at, c.live
    FROM event_client_history c
    WHERE c.valid_to IS NULL AND c.valid_from <= {as_of} AND {client_days}
    UNION ALL
    SELECT c.event_id, c.client_id, c.attendance, c.starts_at, c.live
    FROM event_client_history c
    WHERE c.valid_to > {as_of} AND c.valid_from <= {as_of} AND {client_days}
),
{client_rows}
