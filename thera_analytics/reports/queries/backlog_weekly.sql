-- The backlog at the end of each week (local midnight ending Sunday, in the practice's zone;
-- or the as-of instant for the week that contains it), by age bucket.
-- An event is in the backlog at instant p when it ended before p and was not complete at p.
-- Each event is complete from one instant on (its stored completed_at: the later of its
-- signature and plan, when its details and outcome are complete as stored) or never. So:
--   * an event completed later is in the backlog while ends_at < p < completed_at: a few
--     weeks each, numbered by rank (how many week points come before its end and before its
--     completion) and listed with equality joins (an inequality join with the few week points
--     ends up a nested loop over every event);
--   * an event never completed is in every later week's backlog; pairing each with every week
--     would make millions of rows over years, so those are counted by rank instead: sorted
--     together with each week's bucket bounds, a running count gives how many ended before
--     each bound.
-- Times are compared as epoch seconds (TIMESTAMPTZ arithmetic goes through ICU and is slow).
-- Parameters: first Monday, last Monday, as of (three times), clinician id or NULL (twice),
-- service id or NULL (twice).
WITH weeks AS (
    SELECT CAST(t.w AS DATE) AS week_start,
           (CAST(t.w AS TIMESTAMP) + INTERVAL '7 days')
               AT TIME ZONE (SELECT time_zone FROM practice WHERE id = 1) AS week_end,
           CAST(t.w AS TIMESTAMP)
               AT TIME ZONE (SELECT time_zone FROM practice WHERE id = 1) AS week_begin
    FROM generate_series(CAST(? AS TIMESTAMP), CAST(? AS TIMESTAMP), INTERVAL '7 days') AS t(w)
),
capped AS (
    SELECT week_start, LEAST(week_end, CAST(? AS TIMESTAMPTZ)) AS as_of
    FROM weeks
    WHERE week_begin < CAST(? AS TIMESTAMPTZ)
),
points AS (
    SELECT week_start, as_of, EXTRACT(EPOCH FROM as_of) AS p FROM capped
),
s AS (
    -- each ended event's end and the instant it became complete (NULL: never, so far)
    SELECT EXTRACT(EPOCH FROM ev.ends_at) AS t, EXTRACT(EPOCH FROM ev.completed_at) AS c
    FROM events ev
    JOIN event_kinds k ON k.kind = ev.kind
    WHERE k.event_group = 'client'
      AND ev.cancelled_at IS NULL
      AND ev.ends_at < CAST(? AS TIMESTAMPTZ)
      AND (CAST(? AS INTEGER) IS NULL OR ev.clinician_id = CAST(? AS INTEGER))
      AND (CAST(? AS INTEGER) IS NULL OR ev.service_id = CAST(? AS INTEGER))
),
numbered AS (
    SELECT week_start, p, ROW_NUMBER() OVER (ORDER BY p) AS idx FROM points
),
pending_later AS (
    -- events completed after they ended, numbered for the rank counts below
    SELECT ROW_NUMBER() OVER (ORDER BY t, c) AS n, t, c
    FROM s
    WHERE c IS NOT NULL AND c > t AND c > (SELECT MIN(p) FROM points)
),
weeks_before_end AS (
    -- how many week points are at or before each event's end (a point sorts first on a tie)
    SELECT u.n, SUM(u.is_point) OVER (ORDER BY u.x, u.tie ROWS BETWEEN UNBOUNDED PRECEDING
                                      AND CURRENT ROW) AS points
    FROM (SELECT NULL AS n, p AS x, 0 AS tie, 1 AS is_point FROM numbered
          UNION ALL
          SELECT n, t, 1, 0 FROM pending_later) AS u
),
weeks_before_completion AS (
    -- how many week points are strictly before each event's completion
    SELECT u.n, SUM(u.is_point) OVER (ORDER BY u.x, u.tie ROWS BETWEEN UNBOUNDED PRECEDING
                                      AND CURRENT ROW) AS points
    FROM (SELECT NULL AS n, p AS x, 1 AS tie, 1 AS is_point FROM numbered
          UNION ALL
          SELECT n, c, 0, 0 FROM pending_later) AS u
),
spans AS (
    -- the event is pending at the week points numbered first .. first + span - 1
    SELECT l.t, e.points + 1 AS first, c.points - e.points AS span
    FROM pending_later l
    JOIN weeks_before_end e ON e.n = l.n
    JOIN weeks_before_completion c ON c.n = l.n
    WHERE c.points > e.points
),
steps AS (
    -- (span, k) for every k < span: lets an equality join list each pending week
    SELECT a.idx AS span, b.idx - 1 AS k FROM numbered a JOIN numbered b ON b.idx <= a.idx
),
later_pairs AS (
    SELECT nb.week_start, (nb.p - sp.t) / 3600.0 AS age_hours
    FROM spans sp
    JOIN steps st ON st.span = sp.span
    JOIN numbered nb ON nb.idx = sp.first + st.k
),
later AS (
    SELECT lp.week_start, b.bucket, COUNT(*) AS notes
    FROM later_pairs lp
    JOIN age_buckets b ON lp.age_hours >= b.min_hours AND lp.age_hours < b.max_hours
    GROUP BY lp.week_start, b.bucket
),
bounds AS (
    -- ended at most min_hours before p (strictly before p for the first bucket) ...
    SELECT pt.week_start, b.bucket, 1 AS sign, pt.p - 3600.0 * b.min_hours AS x,
           CASE WHEN b.min_hours = 0 THEN 0 ELSE 2 END AS tie
    FROM points pt CROSS JOIN age_buckets b
    UNION ALL
    -- ... minus those ended max_hours or more before p
    SELECT pt.week_start, b.bucket, -1, pt.p - 3600.0 * b.max_hours, 2
    FROM points pt CROSS JOIN age_buckets b
),
ranked AS (
    -- tie 0 sorts a bound before events at the same second (counts t < x), tie 2 after
    SELECT u.week_start, u.bucket, u.sign, u.tie,
           SUM(CASE WHEN u.tie = 1 THEN 1 ELSE 0 END)
               OVER (ORDER BY u.x, u.tie ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
               AS ended_before
    FROM (
        SELECT week_start, bucket, sign, x, tie FROM bounds
        UNION ALL
        SELECT NULL, NULL, 0, t, 1 FROM s WHERE c IS NULL
    ) AS u
),
never AS (
    SELECT week_start, bucket, SUM(sign * ended_before) AS notes
    FROM ranked
    WHERE tie <> 1
    GROUP BY week_start, bucket
)
SELECT pt.week_start, pt.as_of, b.bucket AS age_bucket, b.sort_key AS age_bucket_order,
       CAST(COALESCE(n.notes, 0) + COALESCE(l.notes, 0) AS BIGINT) AS notes
FROM points pt
CROSS JOIN age_buckets b
LEFT JOIN never n ON n.week_start = pt.week_start AND n.bucket = b.bucket
LEFT JOIN later l ON l.week_start = pt.week_start AND l.bucket = b.bucket
ORDER BY pt.week_start, b.sort_key
