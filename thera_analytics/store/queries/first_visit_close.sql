-- Close the first visit of each client of a changed event whose first live client event is
-- no longer the one the open row names (or who has none now).
-- Parameters: $1 the instant of the change, $2 the event id.
UPDATE first_visit_history SET valid_to = CAST($1 AS TIMESTAMPTZ)
WHERE valid_to IS NULL
  AND valid_from < CAST($1 AS TIMESTAMPTZ)
  AND client_id IN ({first_visit_affected})
  AND NOT EXISTS (SELECT 1 FROM ({first_visits_of_event}) AS f
                  WHERE f.client_id = first_visit_history.client_id
                    AND f.event_id = first_visit_history.event_id)
