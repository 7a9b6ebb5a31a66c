-- Close the open client rows of an event before a change rewrites them (store.history.record).
-- Parameters: the instant, the event id.
UPDATE event_client_history SET valid_to = ? WHERE event_id = ? AND valid_to IS NULL
