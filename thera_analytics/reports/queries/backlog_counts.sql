-- The backlog as of an instant counted by clinician and age bucket, with the oldest age: the
-- events of backlog_as_of.sql, counted without working out what each one misses.
-- Parameters: $1 as of, $2 first day or NULL, $3 last day or NULL, $4 clinician id or NULL,
-- $5 service id or NULL.
WITH s AS (
    SELECT
        e.clinician_id,
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
)
SELECT
    s.clinician_id,
    c.name AS clinician,
    b.bucket AS age_bucket,
    b.sort_key AS age_bucket_order,
    COUNT(*) AS notes,
    MAX(s.age_hours) AS oldest_hours
FROM s
-- the bucket with the highest lower bound at or below the age (buckets tile 0 h .. infinity);
-- an ASOF join finds it by sorting, a range join compares every row with every bucket
ASOF JOIN age_buckets b ON s.age_hours >= b.min_hours
JOIN clinicians c ON c.id = s.clinician_id
GROUP BY s.clinician_id, c.name, b.bucket, b.sort_key
