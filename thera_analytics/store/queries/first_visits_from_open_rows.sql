-- Every client's first visit over time while no client row has closed (rows loaded in bulk):
-- a row once valid stays valid, so the first visit at an instant is the earliest (start, then
-- event id) of the client's live rows begun by then, a running minimum; a row is written each
-- time it changes. store.history.rebuild_first_visits sweeps the rows instead once any closed.
INSERT INTO first_visit_history (client_id, valid_from, valid_to, event_id)
WITH ranked AS (
    SELECT client_id, event_id, valid_from,
           ROW_NUMBER() OVER (PARTITION BY client_id ORDER BY starts_at, event_id) AS place
    FROM event_client_history
    WHERE live
),
best AS (
    SELECT client_id, valid_from,
           MIN(MIN(place)) OVER (PARTITION BY client_id ORDER BY valid_from) AS place
    FROM ranked
    GROUP BY client_id, valid_from
),
changes AS (
    SELECT client_id, valid_from, place,
           LAG(place) OVER (PARTITION BY client_id ORDER BY valid_from) AS before
    FROM best
),
kept AS (
    SELECT client_id, valid_from, place FROM changes
    WHERE before IS NULL OR before <> place
)
SELECT k.client_id, k.valid_from,
       LEAD(k.valid_from) OVER (PARTITION BY k.client_id ORDER BY k.valid_from), r.event_id
FROM kept k
JOIN ranked r ON r.client_id = k.client_id AND r.place = k.place
