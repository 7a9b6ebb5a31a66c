-- Client events that had ended by an instant and were not complete then (no stored
-- completed_at at or before it), with their age in hours at that instant. A fragment, inlined by
-- reports.source into backlog_as_of.sql and backlog_counts.sql.
-- Parameters: $1 as of, $2 first day or NULL, $3 last day or NULL, $4 clinician id or NULL,
-- $5 service id or NULL.
SELECT
    e.id AS event_id,
    e.clinician_id,
    e.kind,
    e.service_id,
    e.direct,
    e.starts_at,
    e.ends_at,
    e.local_date,
    e.week_start,
    (EXTRACT(EPOCH FROM CAST($1 AS TIMESTAMPTZ)) - EXTRACT(EPOCH FROM e.ends_at)) / 3600.0
        AS age_hours
FROM events e
JOIN event_kinds k ON k.kind = e.kind
WHERE k.event_group = 'client'
  AND e.cancelled_at IS NULL
  AND e.ends_at < CAST($1 AS TIMESTAMPTZ)
  AND NOT COALESCE(e.completed_at <= CAST($1 AS TIMESTAMPTZ), FALSE)
  AND (CAST($2 AS DATE) IS NULL OR e.local_date >= CAST($2 AS DATE))
  AND (CAST($3 AS DATE) IS NULL OR e.local_date <= CAST($3 AS DATE))
  AND (CAST($4 AS INTEGER) IS NULL OR e.clinician_id = CAST($4 AS INTEGER))
  AND (CAST($5 AS INTEGER) IS NULL OR e.service_id = CAST($5 AS INTEGER))
