-- An event's version now holds from its valid_from until the next version's valid_from (its
-- version + 1; versions are numbered consecutively, each change writing one), instead of until
-- a valid_to written on it: a change then writes its version with one INSERT and updates
-- nothing. On DuckDB every statement costs 1.5-2 ms whatever it does, and closing the open
-- version was a second statement on every save (benchmarks/README.md, "Event history cost").
-- The ends dropped here are exactly the next versions' starts (each close wrote the instant
-- the next version began), so no history is lost.
-- The client rows (event_client_history) keep their valid_to: a change that leaves an
-- event's clients alone (a plan saved, a note signed) writes none, so they are closed rarely.
ALTER TABLE event_history DROP COLUMN valid_to;

-- For analysts: each version with the instant it stopped holding (NULL = the current one).
CREATE VIEW event_history_spans AS
SELECT h.*,
       (SELECT n.valid_from FROM event_history n
        WHERE n.event_id = h.event_id AND n.version = h.version + 1) AS valid_to
FROM event_history h;
