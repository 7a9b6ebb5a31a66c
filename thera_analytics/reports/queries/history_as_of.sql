-- The practice's events as they stood at an instant, read from the event history (migration
-- 008): common table expressions named like the tables the report queries read (events,
-- event_clients, plans, outcomes), holding the versions valid then. reports.source puts them in
-- front of a report query, whose FROM events ... then reads the past instead of the present.
-- {as_of} is the instant, written in by reports.source as a TIMESTAMPTZ literal.
-- NOT MATERIALIZED: each is inlined where it is used, so a report's own filters (its period,
-- a clinician) reach the history scan instead of a copy of every version being made first.
events AS NOT MATERIALIZED (
    SELECT h.event_id AS id, h.version, h.kind, h.clinician_id, h.service_id, h.direct,
           h.series_id, h.starts_at, h.ends_at, h.duration_minutes, h.local_start, h.local_date,
           h.week_start, h.month_key, h.weekday, h.cancelled_at, h.dot_details, h.dot_plan,
           h.dot_outcome, h.completed_at
    FROM event_history h
    WHERE h.valid_from <= {as_of} AND (h.valid_to IS NULL OR h.valid_to > {as_of})
),
-- The plans of the versions valid then, read in open and closed parts like outcomes below:
-- as one filter DuckDB read every version with a plan (1.3 M at 200 clinicians x 5 years with
-- a version per step) and built session_facts' LEFT JOIN on them.
plans AS NOT MATERIALIZED (
    SELECT h.event_id, h.plan_saved_at AS saved_at
    FROM event_history h
    WHERE h.valid_to IS NULL AND h.valid_from <= {as_of} AND h.plan_saved_at IS NOT NULL
    UNION ALL
    SELECT h.event_id, h.plan_saved_at AS saved_at
    FROM event_history h
    WHERE h.valid_to > {as_of} AND h.valid_from <= {as_of} AND h.plan_saved_at IS NOT NULL
),
-- One row per version valid then, its status and signature NULL where it had none: the
-- report queries read outcomes through a LEFT JOIN, or on signed_at, where such a row reads
-- as no outcome at all. Read in two parts, open and closed versions, for the reason given at
-- thera_client_versions below: with one filter (and the status test) DuckDB took these rows
-- for the smaller side of session_facts' LEFT JOIN and built a hash table of every version.
outcomes AS NOT MATERIALIZED (
    SELECT h.event_id, h.status, h.signed_at, h.signed_by
    FROM event_history h
    WHERE h.valid_to IS NULL AND h.valid_from <= {as_of}
    UNION ALL
    SELECT h.event_id, h.status, h.signed_at, h.signed_by
    FROM event_history h
    WHERE h.valid_to > {as_of} AND h.valid_from <= {as_of}
),
-- The clients of the versions valid then (each client row carries its version's validity),
-- read as two disjoint parts: the rows still open that had begun by then, and the closed rows
-- that had begun and not yet ended. The same rows as one filter, but DuckDB estimates each
-- part as large as the one filter, so the client rows come out the larger side of their join
-- with the versions a report's period selects: it builds its hash table on those versions
-- and skips the client rows of other events as it scans, instead of building one of every
-- client row (at 200 clinicians x 5 years the as-of attendance report took 2.7x the report
-- now, and session_facts 3.5x; benchmarks/README.md, "Event history cost"). A planner
-- choice, not a rule: benchmarks/history_cost.py is what shows it still holds.
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
