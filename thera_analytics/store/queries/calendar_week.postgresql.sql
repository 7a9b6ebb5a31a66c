-- PostgreSQL's form of calendar_week.sql (it has no epoch_us): see that file. The team
-- member's events are an array of ids (the week's, from the clinician's team rows), so
-- PostgreSQL reads the clinician's week through events_by_week and the array through the key
-- (a bitmap OR, migration 012) instead of filtering every event of the week with a subquery,
-- which it planned as a parallel scan. Parameters as calendar_week.sql's ($3 and $4 repeat $2).
-- Live events in one local week (Monday = ?), of one clinician (owner or team member) when
-- the second parameter is not NULL, else of the whole practice; with the stored dots, the
-- outcome's status and signature, and the clinician's and service's names. Instants come as
-- epoch microseconds (the caller makes them timestamps: cheaper than DuckDB's per-value
-- time-zone conversion into pandas); clients come from calendar_week_clients.sql.
SELECT
    e.id AS event_id,
    e.version,
    CAST(e.kind AS VARCHAR) AS kind,
    e.clinician_id,
    cl.name AS clinician_name,
    e.title,
    CAST(EXTRACT(EPOCH FROM e.starts_at) * 1000000 AS BIGINT) AS starts_at,
    CAST(EXTRACT(EPOCH FROM e.ends_at) * 1000000 AS BIGINT) AS ends_at,
    e.local_start,
    e.local_date,
    e.duration_minutes,
    e.direct,
    e.service_id,
    sv.name AS service_name,
    CAST(o.status AS VARCHAR) AS status,
    CAST(EXTRACT(EPOCH FROM o.signed_at) * 1000000 AS BIGINT) AS signed_at,
    e.dot_details,
    e.dot_plan,
    e.dot_outcome
FROM events e
JOIN clinicians cl ON cl.id = e.clinician_id
LEFT JOIN services sv ON sv.id = e.service_id
LEFT JOIN outcomes o ON o.event_id = e.id
WHERE e.week_start = $1
  AND e.cancelled_at IS NULL
  AND (CAST($2 AS INTEGER) IS NULL
       OR e.clinician_id = CAST($2 AS INTEGER)
       OR e.id = ANY(ARRAY(SELECT tm.event_id
                           FROM event_team_members tm
                           JOIN events w ON w.id = tm.event_id
                           WHERE tm.clinician_id = CAST($2 AS INTEGER)
                             AND w.week_start = $1)))
ORDER BY e.starts_at, e.id
