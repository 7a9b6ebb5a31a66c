-- Notes signed at or before an instant and still inside the amendment window then
-- (signed after the window's opening). Parameters: window opening, as of,
-- clinician id or NULL (twice), service id or NULL (twice).
SELECT
    e.id AS event_id,
    e.clinician_id,
    c.name AS clinician,
    e.kind,
    k.label AS kind_label,
    sv.name AS service,
    e.local_start,
    e.ends_at,
    o.signed_at
FROM outcomes o
JOIN events e ON e.id = o.event_id
JOIN clinicians c ON c.id = e.clinician_id
JOIN event_kinds k ON k.kind = e.kind
LEFT JOIN services sv ON sv.id = e.service_id
WHERE o.signed_at > CAST(? AS TIMESTAMPTZ)
  AND o.signed_at <= CAST(? AS TIMESTAMPTZ)
  AND k.event_group = 'client'
  AND e.cancelled_at IS NULL
  AND (CAST(? AS INTEGER) IS NULL OR e.clinician_id = CAST(? AS INTEGER))
  AND (CAST(? AS INTEGER) IS NULL OR e.service_id = CAST(? AS INTEGER))
ORDER BY o.signed_at, e.id
