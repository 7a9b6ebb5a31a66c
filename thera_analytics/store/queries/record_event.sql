-- One event with its clinician's and service's names.
SELECT e.id, e.version, e.kind, e.clinician_id, c.name, e.title, e.starts_at, e.ends_at,
       e.local_start, e.service_id, s.name, e.direct, e.video_link, e.series_id, e.cancelled_at
FROM events e
JOIN clinicians c ON c.id = e.clinician_id
LEFT JOIN services s ON s.id = e.service_id
WHERE e.id = ?
