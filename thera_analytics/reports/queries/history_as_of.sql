-- The practice's events as they stood at an instant, read from the event history (migration
-- 008): common table expressions named like the tables the report queries read (events,
-- event_clients, plans, outcomes), holding the versions valid then. reports.source puts them in
-- front of a report query, whose FROM events ... then reads the past instead of the present.
-- {as_of} is the instant, written in by reports.source as a TIMESTAMPTZ literal.
thera_versions AS (
    SELECT *
    FROM event_history h
    WHERE h.valid_from <= {as_of}
      AND (h.valid_to IS NULL OR h.valid_to > {as_of})
),
events AS (
    SELECT v.event_id AS id, v.version, v.kind, v.clinician_id, v.service_id, v.direct,
           v.series_id, v.starts_at, v.ends_at, v.duration_minutes, v.local_start, v.local_date,
           v.week_start, v.month_key, v.weekday, v.cancelled_at, v.dot_details, v.dot_plan,
           v.dot_outcome, v.completed_at
    FROM thera_versions v
),
plans AS (
    SELECT v.event_id, v.plan_saved_at AS saved_at
    FROM thera_versions v
    WHERE v.plan_saved_at IS NOT NULL
),
outcomes AS (
    SELECT v.event_id, v.status, v.signed_at, v.signed_by
    FROM thera_versions v
    WHERE v.status IS NOT NULL OR v.signed_at IS NOT NULL
),
-- Each client's first visit then: the row of their first live client event (earliest start,
-- then lowest id), as event_clients.first_visit is kept.
thera_client_versions AS (
    SELECT c.event_id, c.client_id, c.attendance, v.starts_at,
           (k.event_group = 'client' AND v.cancelled_at IS NULL) AS live
    FROM event_client_history c
    JOIN thera_versions v ON v.event_id = c.event_id AND v.version = c.version
    JOIN event_kinds k ON k.kind = v.kind
),
event_clients AS (
    SELECT c.event_id, c.client_id, c.attendance,
           (c.live AND ROW_NUMBER() OVER (PARTITION BY c.client_id, c.live
                                          ORDER BY c.starts_at, c.event_id) = 1) AS first_visit
    FROM thera_client_versions c
)
