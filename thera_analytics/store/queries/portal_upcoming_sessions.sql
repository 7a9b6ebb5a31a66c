-- A client's live sessions that they attend (direct) and that have not ended, soonest first.
-- A session the client has cancelled is left out. Params: client id, now, limit.
SELECT
    e.id AS event_id,
    e.kind,
    k.label AS kind_label,
    k.colour_family,
    e.starts_at,
    e.ends_at,
    e.video_link,
    cl.name AS clinician_name,
    sv.name AS service_name
FROM event_clients ec
JOIN events e ON e.id = ec.event_id
JOIN event_kinds k ON k.kind = e.kind
JOIN clinicians cl ON cl.id = e.clinician_id
LEFT JOIN services sv ON sv.id = e.service_id
WHERE ec.client_id = ?
  AND e.cancelled_at IS NULL
  AND e.direct
  AND k.event_group = 'client'
  AND e.ends_at > ?
  AND (ec.attendance IS NULL OR ec.attendance NOT IN ('cancelled', 'late_cancellation'))
ORDER BY e.starts_at, e.id
LIMIT ?
