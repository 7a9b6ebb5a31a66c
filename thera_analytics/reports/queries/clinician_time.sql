-- Each clinician's live events in a period by kind and direct/indirect: events and minutes
-- of clinician time (a group session counts once, however many clients it has).
-- Parameters: first day, last day, clinician id or NULL (twice), service id or NULL (twice);
-- a service filter keeps only client events of that service.
SELECT
    e.clinician_id,
    c.name AS clinician,
    e.kind,
    k.event_group,
    e.direct,
    COUNT(*) AS events,
    SUM(e.duration_minutes) AS minutes
FROM events e
JOIN event_kinds k ON k.kind = e.kind
JOIN clinicians c ON c.id = e.clinician_id
WHERE e.cancelled_at IS NULL
  AND e.local_date BETWEEN CAST(? AS DATE) AND CAST(? AS DATE)
  AND (CAST(? AS INTEGER) IS NULL OR e.clinician_id = CAST(? AS INTEGER))
  AND (CAST(? AS INTEGER) IS NULL OR e.service_id = CAST(? AS INTEGER))
GROUP BY e.clinician_id, c.name, e.kind, k.event_group, e.direct
