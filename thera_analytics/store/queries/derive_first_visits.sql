-- Mark each client's first visit: the row of their first live client event (earliest start,
-- then lowest id) gets first_visit, every other row of theirs loses it. Only rows that change
-- are written. Parameter $1: client ids (a list), or NULL for every client.
UPDATE event_clients
SET first_visit = COALESCE(event_clients.event_id = f.event_id, FALSE)
FROM (
    SELECT c.client_id, v.event_id
    FROM (
        SELECT DISTINCT client_id
        FROM event_clients
        WHERE CAST($1 AS INTEGER[]) IS NULL
           OR client_id IN (SELECT unnest(CAST($1 AS INTEGER[])))
    ) AS c
    LEFT JOIN (
        SELECT client_id, event_id
        FROM (
            SELECT ec.client_id, e.id AS event_id,
                   ROW_NUMBER() OVER (PARTITION BY ec.client_id ORDER BY e.starts_at, e.id) AS n
            FROM event_clients ec
            JOIN events e ON e.id = ec.event_id
            JOIN event_kinds k ON k.kind = e.kind
            WHERE k.event_group = 'client'
              AND e.cancelled_at IS NULL
              AND (CAST($1 AS INTEGER[]) IS NULL
                   OR ec.client_id IN (SELECT unnest(CAST($1 AS INTEGER[]))))
        ) AS ranked
        WHERE n = 1
    ) AS v ON v.client_id = c.client_id
) AS f
WHERE event_clients.client_id = f.client_id
  AND event_clients.first_visit IS DISTINCT FROM COALESCE(event_clients.event_id = f.event_id,
                                                          FALSE)
