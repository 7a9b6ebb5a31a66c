-- The clients of the versions valid at an instant with each client's first visit then: their
-- first live client event (earliest start, then lowest id), as event_clients.first_visit is
-- kept. Part of history_as_of.sql for the report queries that read first_visit (working it
-- out reads every client's versions); the others take history_clients.sql.
thera_first_visits AS NOT MATERIALIZED (
    SELECT c.client_id, arg_min(c.event_id, (c.starts_at, c.event_id)) AS event_id
    FROM thera_client_versions c
    WHERE c.live
    GROUP BY c.client_id
),
event_clients AS NOT MATERIALIZED (
    SELECT c.event_id, c.client_id, c.attendance,
           COALESCE(f.event_id = c.event_id, FALSE) AS first_visit
    FROM thera_client_versions c
    LEFT JOIN thera_first_visits f ON f.client_id = c.client_id
)