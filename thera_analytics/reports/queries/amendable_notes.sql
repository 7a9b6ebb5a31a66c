-- Notes signed at or before an instant and still inside the amendment window then
-- (signed after the window's opening). Parameters: window opening, as of,
-- clinician id or NULL (twice), service id or NULL (twice).
SELECT
    es.event_id,
    es.clinician_id,
    c.name AS clinician,
    es.kind,
    k.label AS kind_label,
    sv.name AS service,
    e.local_start,
    es.ends_at,
    es.signed_at
FROM event_status es
JOIN events e ON e.id = es.event_id
JOIN clinicians c ON c.id = es.clinician_id
JOIN event_kinds k ON k.kind = es.kind
LEFT JOIN services sv ON sv.id = es.service_id
WHERE es.signed_at > CAST(? AS TIMESTAMPTZ)
  AND es.signed_at <= CAST(? AS TIMESTAMPTZ)
  AND (CAST(? AS INTEGER) IS NULL OR es.clinician_id = CAST(? AS INTEGER))
  AND (CAST(? AS INTEGER) IS NULL OR es.service_id = CAST(? AS INTEGER))
ORDER BY es.signed_at, es.event_id
