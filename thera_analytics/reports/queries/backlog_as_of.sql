-- The unsigned-note backlog as it stood at an instant: client events that had ended and were
-- not complete. An event is complete from its stored completed_at on (the later of its
-- signature and plan, once its details and outcome are complete); so a signature or plan saved
-- after that instant counts as not there yet, and attendance marks and status are taken as
-- stored (their time is not recorded). Only the events not complete then are joined to their
-- plan, outcome and marks, to say what is missing.
-- With as of = now this is the note_backlog view; it reads the tables directly. Ages are
-- differences of epoch seconds: subtracting two TIMESTAMPTZ values goes through ICU and costs
-- 25 times more.
-- Parameters: $1 as of, $2 first day or NULL, $3 last day or NULL, $4 clinician id or NULL,
-- $5 service id or NULL.
WITH s AS (
{backlog_open}
),
marks AS (
    SELECT ec.event_id,
           COUNT(*) AS clients,
           COUNT(*) FILTER (WHERE ec.attendance IS NULL) AS unmarked
    FROM event_clients ec
    WHERE ec.event_id IN (SELECT event_id FROM s)
    GROUP BY ec.event_id
),
flags AS (
    SELECT
        s.*,
        (s.service_id IS NULL OR COALESCE(m.clients, 0) = 0) AS missing_details,
        (s.direct AND COALESCE(m.unmarked, 0) > 0) AS missing_attendance,
        (NOT s.direct AND o.status IS NULL) AS missing_status,
        NOT COALESCE(p.saved_at <= CAST($1 AS TIMESTAMPTZ), FALSE) AS missing_plan,
        NOT COALESCE(o.signed_at <= CAST($1 AS TIMESTAMPTZ), FALSE) AS missing_signature
    FROM s
    LEFT JOIN marks m ON m.event_id = s.event_id
    LEFT JOIN plans p ON p.event_id = s.event_id
    LEFT JOIN outcomes o ON o.event_id = s.event_id
)
SELECT
    f.event_id,
    f.clinician_id,
    f.kind,
    f.service_id,
    f.direct,
    f.starts_at,
    f.ends_at,
    f.local_date,
    f.week_start,
    f.age_hours,
    b.bucket AS age_bucket,
    b.sort_key AS age_bucket_order,
    f.missing_details,
    f.missing_attendance,
    f.missing_status,
    f.missing_plan,
    f.missing_signature
FROM flags f
-- the bucket with the highest lower bound at or below the age (buckets tile 0 h .. infinity)
ASOF LEFT JOIN age_buckets b ON f.age_hours >= b.min_hours
