-- Close an event's current version at the instant a change makes a new one.
-- Parameters: the instant, the event id.
UPDATE event_history SET valid_to = ? WHERE event_id = ? AND valid_to IS NULL
