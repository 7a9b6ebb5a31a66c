-- One event's clients and their attendance marks, by client id.
SELECT client_id, attendance FROM event_clients WHERE event_id = ? ORDER BY client_id
