-- The clients of an event's current or just-closed client rows (a fragment, as
-- first_visits_of_event.sql). Parameters: $1 the instant of the change, $2 the event id.
SELECT h.client_id FROM event_client_history h
WHERE h.event_id = $2 AND (h.valid_to IS NULL OR h.valid_to = CAST($1 AS TIMESTAMPTZ))
