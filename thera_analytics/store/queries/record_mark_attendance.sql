-- One client's attendance mark on one event (NULL clears it).
UPDATE event_clients SET attendance = ? WHERE event_id = ? AND client_id = ?
