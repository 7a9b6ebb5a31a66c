-- A first visit opened at this very instant by an earlier change that a later one (same
-- instant) moved again: removed rather than kept valid for no time.
-- Parameters: $1 the instant of the change, $2 the event id.
DELETE FROM first_visit_history
WHERE valid_to IS NULL
  AND valid_from = CAST($1 AS TIMESTAMPTZ)
  AND client_id IN ({first_visit_affected})
  AND NOT EXISTS (SELECT 1 FROM ({first_visits_of_event}) AS f
                  WHERE f.client_id = first_visit_history.client_id
                    AND f.event_id = first_visit_history.event_id)
