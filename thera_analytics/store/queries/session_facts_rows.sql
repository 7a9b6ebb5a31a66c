-- One row per client per live client event: the session_facts columns, written once. The
-- analysts' view (migration 011) and the report query (reports/queries/session_facts.sql)
-- inline this fragment where they name it in braces. It reads the facts kept on the
-- rows (migration 005: the dots, first_visit, completed_at), so the report can put the event
-- history in front of it and read the same columns as they stood at an instant.
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
