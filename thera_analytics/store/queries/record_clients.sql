-- One event's clients by name, with their attendance marks.
SELECT ec.client_id, c.name, ec.attendance
FROM event_clients ec
JOIN clients c ON c.id = ec.client_id
WHERE ec.event_id = ?
ORDER BY c.name, c.id
