-- The backlog at the end of each week (local midnight ending Sunday, in the practice's zone;
-- or the as-of instant for the week that contains it), by age bucket. An event is in the
-- backlog at instant p when it ended before p and was not complete at p: its signature or
-- plan came after p (or never), or its details or outcome are incomplete as stored.
-- Parameters: first Monday, last Monday, as of (twice), clinician id or NULL (twice),
-- service id or NULL (twice).
WITH weeks AS (
    SELECT CAST(t.w AS DATE) AS week_start,
           (CAST(t.w AS TIMESTAMP) + INTERVAL '7 days')
               AT TIME ZONE (SELECT time_zone FROM practice WHERE id = 1) AS week_end,
           CAST(t.w AS TIMESTAMP)
               AT TIME ZONE (SELECT time_zone FROM practice WHERE id = 1) AS week_begin
    FROM generate_series(CAST(? AS TIMESTAMP), CAST(? AS TIMESTAMP), INTERVAL '7 days') AS t(w)
),
points AS (
    SELECT week_start, LEAST(week_end, CAST(? AS TIMESTAMPTZ)) AS as_of
    FROM weeks
    WHERE week_begin < CAST(? AS TIMESTAMPTZ)
),
s AS (
    SELECT es.ends_at, es.dot_details, es.dot_outcome, es.signed_at, es.plan_saved_at
    FROM event_status es
    WHERE (CAST(? AS INTEGER) IS NULL OR es.clinician_id = CAST(? AS INTEGER))
      AND (CAST(? AS INTEGER) IS NULL OR es.service_id = CAST(? AS INTEGER))
),
pending AS (
    SELECT p.week_start, p.as_of,
           EXTRACT(EPOCH FROM (p.as_of - s.ends_at)) / 3600.0 AS age_hours
    FROM points p
    JOIN s ON s.ends_at < p.as_of
          AND NOT COALESCE(s.dot_details AND s.dot_outcome AND s.signed_at <= p.as_of
                           AND s.plan_saved_at <= p.as_of, FALSE)
)
SELECT p.week_start, p.as_of, b.bucket AS age_bucket, b.sort_key AS age_bucket_order,
       COUNT(d.age_hours) AS notes
FROM points p
LEFT JOIN pending d ON d.week_start = p.week_start
LEFT JOIN age_buckets b ON d.age_hours >= b.min_hours AND d.age_hours < b.max_hours
GROUP BY p.week_start, p.as_of, b.bucket, b.sort_key
ORDER BY p.week_start, b.sort_key
