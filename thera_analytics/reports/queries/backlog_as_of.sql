-- The unsigned-note backlog as it stood at an instant: client events that had ended and were
-- not complete. A signature or plan saved after that instant counts as not there yet;
-- attendance marks and status are taken as stored (their time is not recorded).
-- Parameters: as of (four times), first day or NULL (twice), last day or NULL (twice),
-- clinician id or NULL (twice), service id or NULL (twice).
WITH s AS (
    SELECT
        es.event_id,
        es.clinician_id,
        es.kind,
        es.service_id,
        es.direct,
        es.starts_at,
        es.ends_at,
        es.local_date,
        es.week_start,
        EXTRACT(EPOCH FROM (CAST(? AS TIMESTAMPTZ) - es.ends_at)) / 3600.0 AS age_hours,
        (es.direct AND es.unmarked > 0) AS missing_attendance,
        (NOT es.direct AND (es.status IS NULL OR es.status <> 'completed')) AS missing_status,
        NOT COALESCE(es.plan_saved_at <= CAST(? AS TIMESTAMPTZ), FALSE) AS missing_plan,
        NOT COALESCE(es.signed_at <= CAST(? AS TIMESTAMPTZ), FALSE) AS missing_signature,
        NOT es.dot_details AS missing_details
    FROM event_status es
    WHERE es.ends_at < CAST(? AS TIMESTAMPTZ)
      AND (CAST(? AS DATE) IS NULL OR es.local_date >= CAST(? AS DATE))
      AND (CAST(? AS DATE) IS NULL OR es.local_date <= CAST(? AS DATE))
      AND (CAST(? AS INTEGER) IS NULL OR es.clinician_id = CAST(? AS INTEGER))
      AND (CAST(? AS INTEGER) IS NULL OR es.service_id = CAST(? AS INTEGER))
)
SELECT
    s.event_id,
    s.clinician_id,
    s.kind,
    s.service_id,
    s.direct,
    s.starts_at,
    s.ends_at,
    s.local_date,
    s.week_start,
    s.age_hours,
    b.bucket AS age_bucket,
    b.sort_key AS age_bucket_order,
    s.missing_details,
    s.missing_attendance,
    s.missing_status,
    s.missing_plan,
    s.missing_signature
FROM s
JOIN age_buckets b ON s.age_hours >= b.min_hours AND s.age_hours < b.max_hours
WHERE s.missing_details OR s.missing_attendance OR s.missing_status OR s.missing_plan
   OR s.missing_signature
