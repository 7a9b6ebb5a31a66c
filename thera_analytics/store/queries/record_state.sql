-- The part of one event's record the rules of a plan, outcome or signature need.
SELECT e.id, e.version, e.kind, e.clinician_id, e.title, e.starts_at, e.ends_at,
       e.local_start, e.service_id, e.direct, e.video_link, e.series_id, e.cancelled_at,
       p.plan_text, p.previous_homework, p.previous_note, p.saved_at, o.status, o.note,
       o.homework, o.homework_enabled, o.homework_shared, o.signed_at, o.signed_by
FROM events e
LEFT JOIN plans p ON p.event_id = e.id
LEFT JOIN outcomes o ON o.event_id = e.id
WHERE e.id = ?
