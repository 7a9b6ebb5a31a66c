-- The clients of the versions valid at an instant, for report queries that do not read
-- first_visit (part of history_as_of.sql; history_first_visits.sql works it out).
event_clients AS NOT MATERIALIZED (
    SELECT c.event_id, c.client_id, c.attendance, CAST(NULL AS BOOLEAN) AS first_visit
    FROM thera_client_versions c
)