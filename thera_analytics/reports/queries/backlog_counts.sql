-- The backlog as of an instant counted by clinician and age bucket, with the oldest age: the
-- events of backlog_as_of.sql, counted without working out what each one misses. The
-- subquery s is backlog_open.sql, inlined by reports.source.
-- Parameters: $1 as of, $2 first day or NULL, $3 last day or NULL, $4 clinician id or NULL,
-- $5 service id or NULL.
WITH s AS (
{backlog_open}
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
