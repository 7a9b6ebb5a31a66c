-- Mark each client's first visit: the row of their first live client event (the rule of
-- first_visit_ranking.sql) gets first_visit, every other row of theirs loses it. Only rows
-- that change are written. Parameter $1: client ids (a list), or NULL for every client.
UPDATE event_clients
SET first_visit = COALESCE(event_clients.event_id = f.event_id, FALSE)
FROM (
    WITH first_visit_clients AS (
        SELECT DISTINCT client_id
        FROM event_clients
        WHERE CAST($1 AS INTEGER[]) IS NULL
           OR client_id IN (SELECT unnest(CAST($1 AS INTEGER[])))
    )
    SELECT c.client_id, v.event_id
    FROM first_visit_clients AS c
    LEFT JOIN ({first_visit_ranking}) AS v ON v.client_id = c.client_id
) AS f
WHERE event_clients.client_id = f.client_id
  AND event_clients.first_visit IS DISTINCT FROM COALESCE(event_clients.event_id = f.event_id,
                                                          FALSE)
