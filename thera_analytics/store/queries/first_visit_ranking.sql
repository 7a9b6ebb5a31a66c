-- The first-visit rule, written once: each client's first live client event (earliest start,
-- then lowest id) now, for the clients of first_visit_clients, a table expression
-- (client_id) the statement that inlines this fragment defines in front of it. Inlined by
-- first_visits_of_event.sql (the clients of one changed event) and derive_first_visits.sql
-- (a list of clients, or every client).
SELECT client_id, event_id
FROM (
    SELECT ec.client_id, e.id AS event_id,
           ROW_NUMBER() OVER (PARTITION BY ec.client_id ORDER BY e.starts_at, e.id) AS n
    FROM event_clients ec
    JOIN events e ON e.id = ec.event_id
    JOIN event_kinds k ON k.kind = e.kind
    WHERE k.event_group = 'client'
      AND e.cancelled_at IS NULL
      AND ec.client_id IN (SELECT client_id FROM first_visit_clients)
) AS ranked
WHERE n = 1
