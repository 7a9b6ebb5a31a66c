-- Close the client rows of an event's current version (with history_close.sql).
-- Parameters: the instant, the event id.
UPDATE event_client_history SET valid_to = ? WHERE event_id = ? AND valid_to IS NULL
