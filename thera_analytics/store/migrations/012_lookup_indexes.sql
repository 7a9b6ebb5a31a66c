-- Lookup indexes: PostgreSQL's form (012_lookup_indexes.postgresql.sql) creates them; DuckDB
-- gets none, on purpose, and records this version all the same.
-- - Its week and date filters read zone maps (min/max per row group), which the events'
--   order of loading keeps tight, so a week costs what its row groups cost without an index.
-- - An ART index on a column of events turns an UPDATE of that column into delete + insert,
--   which the tables that reference the event then refuse (see 002_events.sql), so moving a
--   session (starts_at, week_start) would fail.
-- - An index on event_clients (client_id), the one the plan save's pre-fill would use, did
--   not make a DuckDB plan save cheaper at 200 clinicians x 5 years (benchmarks/README.md).
SELECT 1;
