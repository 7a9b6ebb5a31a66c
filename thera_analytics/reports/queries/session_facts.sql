-- The session_facts view (one row per client per live client event), read from the tables
-- directly so reports.source can put the event history in front of it: with as of, the rows
-- as they stood at that instant. first_visit is the one kept on event_clients (or, as of an
-- instant, worked out from the versions valid then in the same way).
-- Parameters: first day or NULL, last day or NULL (local dates).
SELECT
    e.id AS event_id,
    ec.client_id,
    e.clinician_id,
    e.kind,
    k.label AS kind_label,
    k.colour_family,
    e.starts_at,
    e.ends_at,
    e.local_start,
    e.local_date,
    e.week_start,
    e.month_key,
    e.weekday,
    e.duration_minutes,
    e.direct,
    e.service_id,
    sv.name AS service_name,
    ec.attendance,
    o.status,
    av.billable,
    o.signed_at,
    e.dot_details,
    e.dot_plan,
    e.dot_outcome,
    (e.dot_details AND e.dot_plan AND e.dot_outcome) AS complete,
    ec.first_visit,
    p.saved_at AS plan_saved_at,
    e.completed_at
FROM event_clients ec
JOIN events e ON e.id = ec.event_id
JOIN event_kinds k ON k.kind = e.kind
LEFT JOIN plans p ON p.event_id = e.id
LEFT JOIN outcomes o ON o.event_id = e.id
LEFT JOIN services sv ON sv.id = e.service_id
LEFT JOIN attendance_values av ON av.attendance = ec.attendance
WHERE k.event_group = 'client'
  AND e.cancelled_at IS NULL
  AND (CAST(? AS DATE) IS NULL OR e.local_date >= CAST(? AS DATE))
  AND (CAST(? AS DATE) IS NULL OR e.local_date <= CAST(? AS DATE))
ORDER BY e.starts_at, e.id, ec.client_id
