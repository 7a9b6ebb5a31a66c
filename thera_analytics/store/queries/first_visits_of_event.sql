-- The first live client event now (earliest start, then lowest id) of each client of an event's
-- current or just-closed client rows: the clients whose first visit a change to the event may
-- have moved. A fragment of first_visit_close.sql, first_visit_drop.sql, first_visit_open.sql.
-- Parameters: $1 the instant of the change, $2 the event id.
SELECT r.client_id, r.event_id
FROM (
    SELECT ec.client_id, e.id AS event_id,
           ROW_NUMBER() OVER (PARTITION BY ec.client_id ORDER BY e.starts_at, e.id) AS n
    FROM event_clients ec
    JOIN events e ON e.id = ec.event_id
    JOIN event_kinds k ON k.kind = e.kind
    WHERE k.event_group = 'client'
      AND e.cancelled_at IS NULL
      AND ec.client_id IN (SELECT h.client_id FROM event_client_history h
                           WHERE h.event_id = $2
                             AND (h.valid_to IS NULL OR h.valid_to = CAST($1 AS TIMESTAMPTZ)))
) AS r
WHERE r.n = 1
