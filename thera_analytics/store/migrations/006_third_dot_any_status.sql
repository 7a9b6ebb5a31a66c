-- The third dot follows the help article: green "once the Attendance or the Status is marked
-- and also signed", whichever status it is (until now an indirect session needed the status
-- Completed). The two views that state the rule are replaced with the same columns; the dots
-- and completion instants stored on events (migration 005) are worked out again for the rows
-- that exist, in this migration's transaction (store.database._DATA_STEPS).

-- One row per live client event: its marks and three dots. Not time-dependent. The rule is
-- the packaged fragment queries/event_dots.sql (store.sql inlines it), shared with the step
-- that works out the stored dots.
CREATE OR REPLACE VIEW event_status AS
SELECT
    d.event_id,
    d.clinician_id,
    d.kind,
    d.starts_at,
    d.ends_at,
    d.local_date,
    d.week_start,
    d.month_key,
    d.direct,
    d.service_id,
    d.clients,
    d.unmarked,
    d.status,
    d.signed_at,
    d.plan_saved_at,
    d.dot_details,
    d.dot_plan,
    d.dot_outcome
FROM (
{event_dots}
) AS d
WHERE d.cancelled_at IS NULL;

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
