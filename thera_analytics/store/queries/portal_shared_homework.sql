-- Homework a client may read: enabled AND shared, on live sessions the client is a client of,
-- newest session first. Only the homework text leaves this query: never the note or plan.
-- Param: client id.
SELECT
    e.id AS event_id,
    e.starts_at,
    e.ends_at,
    k.label AS kind_label,
    cl.name AS clinician_name,
    o.homework
FROM event_clients ec
JOIN events e ON e.id = ec.event_id
JOIN event_kinds k ON k.kind = e.kind
JOIN clinicians cl ON cl.id = e.clinician_id
JOIN outcomes o ON o.event_id = e.id
WHERE ec.client_id = ?
  AND e.cancelled_at IS NULL
  AND o.homework_enabled
  AND o.homework_shared
  AND TRIM(o.homework) <> ''
ORDER BY e.starts_at DESC, e.id DESC
