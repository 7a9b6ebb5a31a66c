-- Facts worked out when a record is written, so reports and the calendar read a column instead
-- of joining plans, outcomes and every client's visits on each query (see docs/data-model.md).
-- Rows that exist when this runs are filled by store.derived.backfill, in the same transaction.
-- (DuckDB cannot add a NOT NULL column to a table other tables reference; the use cases never
-- write NULL here.)

-- The three completion dots of a client event, and the instant it became complete (the later of
-- its signature and its plan, once all three dots are green), else NULL. Kept by the use cases
-- that change an event, with its version.
ALTER TABLE events ADD COLUMN dot_details BOOLEAN DEFAULT FALSE;
ALTER TABLE events ADD COLUMN dot_plan BOOLEAN DEFAULT FALSE;
ALTER TABLE events ADD COLUMN dot_outcome BOOLEAN DEFAULT FALSE;
ALTER TABLE events ADD COLUMN completed_at TIMESTAMPTZ;

-- TRUE on the row of a client's first live client event (earliest start, then lowest id). Kept
-- by the scheduling use cases for the clients of the events they create, move or cancel.
ALTER TABLE event_clients ADD COLUMN first_visit BOOLEAN DEFAULT FALSE;
