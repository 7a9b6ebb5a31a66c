-- The third dot follows the help article: green "once the Attendance or the Status is marked
-- and also signed", whichever status it is (until now an indirect session needed the status
-- Completed). The two views that state the rule are replaced with the same columns; the dots
-- and completion instants stored on events (migration 005) are worked out again for the rows
-- that exist, in this migration's transaction (store.database._DATA_STEPS).

-- One row per live client event: its marks and three dots. Not time-dependent.
CREATE OR REPLACE VIEW event_status AS
WITH marks AS (
    SELECT event_id,
           COUNT(*) AS clients,
           COUNT(*) FILTER (WHERE attendance IS NULL) AS unmarked
    FROM event_clients
    GROUP BY event_id
)
SELECT
    e.id AS event_id,
    e.clinician_id,
    e.kind,
    e.starts_at,
    e.ends_at,
    e.local_date,
    e.week_start,
    e.month_key,
    e.direct,
    e.service_id,
    COALESCE(m.clients, 0) AS clients,
    COALESCE(m.unmarked, 0) AS unmarked,
    o.status,
    o.signed_at,
    p.saved_at AS plan_saved_at,
    (e.service_id IS NOT NULL AND COALESCE(m.clients, 0) > 0) AS dot_details,
    (p.event_id IS NOT NULL) AS dot_plan,
    (o.signed_at IS NOT NULL AND CASE WHEN e.direct THEN COALESCE(m.unmarked, 1) = 0
                                      ELSE o.status IS NOT NULL END) AS dot_outcome
FROM events e
JOIN event_kinds k ON k.kind = e.kind
LEFT JOIN marks m ON m.event_id = e.id
LEFT JOIN plans p ON p.event_id = e.id
LEFT JOIN outcomes o ON o.event_id = e.id
WHERE k.event_group = 'client' AND e.cancelled_at IS NULL;

-- Past client events that are not complete, with their age now and what is missing.
CREATE OR REPLACE VIEW note_backlog AS
SELECT
    s.event_id,
    s.clinician_id,
    s.kind,
    s.starts_at,
    s.ends_at,
    s.local_date,
    s.week_start,
    s.direct,
    EXTRACT(EPOCH FROM (CURRENT_TIMESTAMP - s.ends_at)) / 3600.0 AS age_hours,
    b.bucket AS age_bucket,
    b.sort_key AS age_bucket_order,
    (s.direct AND s.unmarked > 0) AS missing_attendance,
    (NOT s.direct AND s.status IS NULL) AS missing_status,
    (NOT s.dot_plan) AS missing_plan,
    (s.signed_at IS NULL) AS missing_signature,
    CONCAT_WS(', ',
        CASE WHEN s.direct AND s.unmarked > 0 THEN 'attendance' END,
        CASE WHEN NOT s.direct AND s.status IS NULL THEN 'status' END,
        CASE WHEN NOT s.dot_plan THEN 'plan' END,
        CASE WHEN s.signed_at IS NULL THEN 'signature' END) AS missing
FROM event_status s
JOIN age_buckets b
  ON EXTRACT(EPOCH FROM (CURRENT_TIMESTAMP - s.ends_at)) / 3600.0 >= b.min_hours
 AND EXTRACT(EPOCH FROM (CURRENT_TIMESTAMP - s.ends_at)) / 3600.0 < b.max_hours
WHERE s.ends_at < CURRENT_TIMESTAMP
  AND NOT (s.dot_details AND s.dot_plan AND s.dot_outcome);
