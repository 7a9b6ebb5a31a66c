-- The unsigned-note backlog as it stood at an instant: client events that had ended and were
-- not complete. A signature or plan saved after that instant counts as not there yet;
-- attendance marks and status are taken as stored (their time is not recorded).
-- With as of = now this is the note_backlog view; it reads the tables directly (the view's
-- event_status counts every event's marks on each query). Ages are differences of epoch
-- seconds: subtracting two TIMESTAMPTZ values goes through ICU and costs 25 times more.
-- Parameters: as of (four times), first day or NULL (twice), last day or NULL (twice),
-- clinician id or NULL (twice), service id or NULL (twice).
WITH s AS (
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
        (EXTRACT(EPOCH FROM CAST(? AS TIMESTAMPTZ)) - EXTRACT(EPOCH FROM e.ends_at)) / 3600.0
            AS age_hours,
        o.status,
        NOT COALESCE(p.saved_at <= CAST(? AS TIMESTAMPTZ), FALSE) AS missing_plan,
        NOT COALESCE(o.signed_at <= CAST(? AS TIMESTAMPTZ), FALSE) AS missing_signature
    FROM events e
    JOIN event_kinds k ON k.kind = e.kind
    LEFT JOIN plans p ON p.event_id = e.id
    LEFT JOIN outcomes o ON o.event_id = e.id
    WHERE k.event_group = 'client'
      AND e.cancelled_at IS NULL
      AND e.ends_at < CAST(? AS TIMESTAMPTZ)
      AND (CAST(? AS DATE) IS NULL OR e.local_date >= CAST(? AS DATE))
      AND (CAST(? AS DATE) IS NULL OR e.local_date <= CAST(? AS DATE))
      AND (CAST(? AS INTEGER) IS NULL OR e.clinician_id = CAST(? AS INTEGER))
      AND (CAST(? AS INTEGER) IS NULL OR e.service_id = CAST(? AS INTEGER))
),
unmarked AS (
    SELECT DISTINCT event_id FROM event_clients WHERE attendance IS NULL
),
flags AS (
    SELECT
        s.*,
        (s.service_id IS NULL
         OR NOT EXISTS (SELECT 1 FROM event_clients ec WHERE ec.event_id = s.event_id))
            AS missing_details,
        (s.direct AND s.event_id IN (SELECT event_id FROM unmarked)) AS missing_attendance,
        (NOT s.direct AND (s.status IS NULL OR s.status <> 'completed')) AS missing_status
    FROM s
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
-- every age falls in one bucket; LEFT lets the filter below run before this range join
LEFT JOIN age_buckets b ON f.age_hours >= b.min_hours AND f.age_hours < b.max_hours
WHERE f.missing_details OR f.missing_attendance OR f.missing_status OR f.missing_plan
   OR f.missing_signature
