-- The backlog as of an instant, one row per event, oldest first, with names for display and
-- what is missing in words (as in the note_backlog view).
-- The subquery b is backlog_as_of.sql, inlined by reports.source: its parameters $1-$5, then
-- $6 the number of rows to keep (NULL for all).
SELECT
    b.event_id,
    b.clinician_id,
    c.name AS clinician,
    b.kind,
    k.label AS kind_label,
    b.service_id,
    sv.name AS service,
    b.direct,
    e.local_start,
    b.ends_at,
    b.age_hours,
    b.age_bucket,
    b.age_bucket_order,
    b.missing_details,
    b.missing_attendance,
    b.missing_status,
    b.missing_plan,
    b.missing_signature,
    CONCAT_WS(', ',
        CASE WHEN b.missing_details THEN 'details' END,
        CASE WHEN b.missing_attendance THEN 'attendance' END,
        CASE WHEN b.missing_status THEN 'status' END,
        CASE WHEN b.missing_plan THEN 'plan' END,
        CASE WHEN b.missing_signature THEN 'signature' END) AS missing
FROM ({backlog_as_of}) AS b
JOIN events e ON e.id = b.event_id
JOIN clinicians c ON c.id = b.clinician_id
JOIN event_kinds k ON k.kind = b.kind
LEFT JOIN services sv ON sv.id = b.service_id
ORDER BY b.ends_at, b.event_id
LIMIT CAST($6 AS BIGINT)
