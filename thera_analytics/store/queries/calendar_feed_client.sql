-- A client's live sessions (those they attend) for a calendar feed. Other clients of a group
-- session are not named. Params: client id, from (NULL = no lower bound) x2, to x2.
SELECT
    e.id AS event_id,
    e.version,
    e.kind,
    k.label AS kind_label,
    '' AS title,
    e.starts_at,
    e.ends_at,
    e.created_at,
    e.updated_at,
    e.video_link,
    cl.name AS clinician_name,
    sv.name AS service_name,
    '' AS client_names
FROM event_clients ec
JOIN events e ON e.id = ec.event_id
JOIN event_kinds k ON k.kind = e.kind
JOIN clinicians cl ON cl.id = e.clinician_id
LEFT JOIN services sv ON sv.id = e.service_id
WHERE ec.client_id = ?
  AND e.cancelled_at IS NULL
  AND e.direct
  AND k.event_group = 'client'
  AND (ec.attendance IS NULL OR ec.attendance NOT IN ('cancelled', 'late_cancellation'))
  AND (CAST(? AS TIMESTAMPTZ) IS NULL OR e.ends_at > CAST(? AS TIMESTAMPTZ))
  AND (CAST(? AS TIMESTAMPTZ) IS NULL OR e.starts_at < CAST(? AS TIMESTAMPTZ))
ORDER BY e.starts_at, e.id
