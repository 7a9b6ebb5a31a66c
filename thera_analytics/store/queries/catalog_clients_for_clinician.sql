-- The active clients, those a clinician has seen or booked first.
SELECT c.id, c.name, c.email
FROM clients c
WHERE c.active
ORDER BY (c.id IN (SELECT ec.client_id FROM event_clients ec
                   JOIN events e ON e.id = ec.event_id
                   WHERE e.clinician_id = ?)) DESC, c.name, c.id
