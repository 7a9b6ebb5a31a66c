-- The clients of an event's new version, with their attendance as the rows now hold it.
-- Parameter: the event id.
INSERT INTO event_client_history (event_id, version, client_id, attendance)
SELECT ec.event_id, e.version, ec.client_id, ec.attendance
FROM event_clients ec
JOIN events e ON e.id = ec.event_id
WHERE ec.event_id = ?
