-- The first live client event now of each client of an event's current or just-closed
-- client rows (first_visit_affected.sql): the clients whose first visit a change to the event
-- may have moved, ranked by the one rule (first_visit_ranking.sql). A fragment of
-- first_visit_close.sql, first_visit_drop.sql, first_visit_open.sql.
-- Parameters: $1 the instant of the change, $2 the event id.
WITH first_visit_clients AS (
{first_visit_affected}
)
{first_visit_ranking}
