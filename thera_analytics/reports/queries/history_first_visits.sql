-- The clients of the versions valid at an instant with each client's first visit then: their
-- first live client event as first_visit_history (migration 010) holds it at that instant, as
-- event_clients.first_visit is kept. Part of history_as_of.sql for the report queries that
-- read first_visit; the others take history_clients.sql.
event_clients AS NOT MATERIALIZED (
    SELECT c.event_id, c.client_id, c.attendance,
           COALESCE(f.event_id = c.event_id, FALSE) AS first_visit
    FROM thera_client_versions c
    LEFT JOIN first_visit_history f
      ON f.client_id = c.client_id
     AND f.valid_from <= {as_of} AND (f.valid_to IS NULL OR f.valid_to > {as_of})
)
