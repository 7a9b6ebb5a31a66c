-- A client added to one event, not marked yet.
INSERT INTO event_clients (event_id, client_id, attendance) VALUES (?, ?, NULL)
