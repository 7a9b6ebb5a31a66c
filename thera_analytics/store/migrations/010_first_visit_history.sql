-- Each client's first visit as it stood over time: the client's first live client event
-- (earliest start, then lowest id; as event_clients.first_visit is kept) from valid_from up
-- to, not including, valid_to (NULL = still their first visit). A report as of an instant
-- reads the row valid then instead of working the first visit out from every client row
-- valid then (migration 008). Written with the event history by store.history.record when an
-- event's clients change; this migration fills it from the history that exists
-- (store.history.rebuild_first_visits). A client without a live client event has no row.
CREATE TABLE first_visit_history (
    client_id   INTEGER NOT NULL,
    valid_from  TIMESTAMPTZ NOT NULL,
    valid_to    TIMESTAMPTZ,
    event_id    BIGINT NOT NULL,
    PRIMARY KEY (client_id, valid_from)
);
