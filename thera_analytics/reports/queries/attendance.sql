-- Attendance of direct client sessions in a period: client sessions (one per client per
-- session, so a group session counts once per client) and their minutes per attendance value
-- (NULL = not marked yet), for every breakdown at once (one grouping set each) plus a total.
-- The caller pivots the values into columns.
-- The rows of the session_facts view, read from the tables directly, with each client's first
-- visit as stored on event_clients (kept by the scheduling use cases).
-- Parameters: first day, last day (local dates), clinician id or NULL (twice),
-- service id or NULL (twice).
WITH facts AS (
    SELECT
        ec.client_id,
        ec.event_id,
        ec.attendance,
        ec.first_visit,
        e.clinician_id,
        e.service_id,
        e.kind,
        e.month_key,
        e.week_start,
        e.weekday,
        e.duration_minutes
    FROM event_clients ec
    JOIN events e ON e.id = ec.event_id
    JOIN event_kinds k ON k.kind = e.kind
    WHERE k.event_group = 'client'
      AND e.cancelled_at IS NULL
      AND e.direct
      AND e.local_date BETWEEN CAST(? AS DATE) AND CAST(? AS DATE)
      AND (CAST(? AS INTEGER) IS NULL OR e.clinician_id = CAST(? AS INTEGER))
      AND (CAST(? AS INTEGER) IS NULL OR e.service_id = CAST(? AS INTEGER))
),
g AS (
    SELECT
        CASE WHEN GROUPING(f.clinician_id) = 0 THEN 'clinician'
             WHEN GROUPING(f.service_id) = 0 THEN 'service'
             WHEN GROUPING(f.kind) = 0 THEN 'kind'
             WHEN GROUPING(f.month_key) = 0 THEN 'month'
             WHEN GROUPING(f.week_start) = 0 THEN 'week'
             WHEN GROUPING(f.weekday) = 0 THEN 'weekday'
             WHEN GROUPING(f.first_visit) = 0 THEN 'visit'
             ELSE 'total' END AS dimension,
        f.clinician_id,
        f.service_id,
        f.kind,
        f.month_key,
        f.week_start,
        f.weekday,
        f.first_visit,
        f.attendance,
        COUNT(*) AS sessions,
        CAST(SUM(f.duration_minutes) AS BIGINT) AS minutes
    FROM facts f
    GROUP BY GROUPING SETS (
        (f.clinician_id, f.attendance),
        (f.service_id, f.attendance),
        (f.kind, f.attendance),
        (f.month_key, f.attendance),
        (f.week_start, f.attendance),
        (f.weekday, f.attendance),
        (f.first_visit, f.attendance),
        (f.attendance)
    )
)
SELECT
    g.dimension,
    g.clinician_id,
    c.name AS clinician,
    g.service_id,
    sv.name AS service,
    g.kind,
    k.label AS kind_label,
    g.month_key,
    g.week_start,
    g.weekday,
    g.first_visit,
    g.attendance,
    g.sessions,
    g.minutes
FROM g
LEFT JOIN clinicians c ON c.id = g.clinician_id
LEFT JOIN services sv ON sv.id = g.service_id
LEFT JOIN event_kinds k ON k.kind = g.kind
