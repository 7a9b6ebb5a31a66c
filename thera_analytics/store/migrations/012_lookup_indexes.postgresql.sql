-- Lookup indexes for PostgreSQL (DuckDB's form of this migration, 012_lookup_indexes.sql,
-- says why it gets none). Without them PostgreSQL scanned whole tables for lookups by a
-- column other than the key: at 200 clinicians x 5 years (1.5 M events) a plan save took
-- 70 ms, most of it the pre-fill's scan of event_clients by client, and a clinician's week
-- scanned every event (docs/data-model.md, "Indexes").

-- The week: one clinician's (both columns) or the whole practice's (the first).
CREATE INDEX events_by_week ON events (week_start, clinician_id);
-- A clinician's events in time order: overlap candidates, the plan's pre-fill (latest
-- earlier session), the clinician's calendar feed.
CREATE INDEX events_by_clinician ON events (clinician_id, starts_at);
-- A series from one session on ("this and the following").
CREATE INDEX events_by_series ON events (series_id, starts_at);
-- A client's sessions: the pre-fill, the client's calendar feed, the portal.
CREATE INDEX event_clients_by_client ON event_clients (client_id);
-- The events a clinician joined as a team member (their week and feed).
CREATE INDEX event_team_members_by_clinician ON event_team_members (clinician_id, event_id);
-- One event's reminders (the record, moving or cancelling a session) and the due ones.
CREATE INDEX reminders_by_event ON reminders (event_id);
CREATE INDEX reminders_by_due ON reminders (state, due_at);
-- One event's amendments and comments (the record).
CREATE INDEX amendments_by_event ON amendments (event_id);
CREATE INDEX comments_by_event ON comments (event_id);
-- A client's notifications (the portal).
CREATE INDEX notifications_by_client ON notifications (client_id);
