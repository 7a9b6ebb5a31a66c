-- A client taken off one event.
DELETE FROM event_clients WHERE event_id = ? AND client_id = ?
