-- One event's third parties, removed before they are written again.
DELETE FROM event_third_parties WHERE event_id = ?
