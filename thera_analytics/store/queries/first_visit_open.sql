-- Open the first visit, from the instant of the change, of each client of a changed event who
-- has a first live client event and no open row (after first_visit_close.sql).
-- Parameters: $1 the instant of the change, $2 the event id.
INSERT INTO first_visit_history (client_id, valid_from, valid_to, event_id)
SELECT f.client_id, CAST($1 AS TIMESTAMPTZ), NULL, f.event_id
FROM ({first_visits_of_event}) AS f
WHERE NOT EXISTS (SELECT 1 FROM first_visit_history o
                  WHERE o.client_id = f.client_id AND o.valid_to IS NULL)
