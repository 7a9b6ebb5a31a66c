-- The clients of one event.
SELECT client_id FROM event_clients WHERE event_id = ?
