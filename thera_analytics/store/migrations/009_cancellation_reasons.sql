-- Why sessions were cancelled. The manager keeps the list of reasons: entries are added and
-- retired, never deleted or renamed, so an old cancellation keeps the reason it was given.
CREATE TABLE cancellation_reasons (
    code        VARCHAR PRIMARY KEY,
    label       VARCHAR NOT NULL,
    needs_text  BOOLEAN NOT NULL,
    position    INTEGER NOT NULL,
    added_at    TIMESTAMPTZ NOT NULL,
    added_by    INTEGER,
    retired_at  TIMESTAMPTZ,
    retired_by  INTEGER
);

INSERT INTO cancellation_reasons (code, label, needs_text, position, added_at) VALUES
    ('client_illness', 'Client illness', FALSE, 1, TIMESTAMPTZ '2000-01-01 00:00:00+00'),
    ('clinician_illness', 'Clinician illness', FALSE, 2, TIMESTAMPTZ '2000-01-01 00:00:00+00'),
    ('transport', 'Transport', FALSE, 3, TIMESTAMPTZ '2000-01-01 00:00:00+00'),
    ('forgot', 'Forgot', FALSE, 4, TIMESTAMPTZ '2000-01-01 00:00:00+00'),
    ('clash', 'Clash with other appointment', FALSE, 5, TIMESTAMPTZ '2000-01-01 00:00:00+00'),
    ('weather', 'Weather', FALSE, 6, TIMESTAMPTZ '2000-01-01 00:00:00+00'),
    ('work_or_school', 'Work or school', FALSE, 7, TIMESTAMPTZ '2000-01-01 00:00:00+00'),
    ('family_emergency', 'Family emergency', FALSE, 8, TIMESTAMPTZ '2000-01-01 00:00:00+00'),
    ('practice_closed', 'Practice closed', FALSE, 9, TIMESTAMPTZ '2000-01-01 00:00:00+00'),
    ('other', 'Other', TRUE, 99, TIMESTAMPTZ '2000-01-01 00:00:00+00');

-- Append-only: one row each time an event is cancelled or a client's mark becomes (or stops
-- being) a cancellation. The row for (event, client) with the latest recorded_at at or before
-- an instant is that cancellation as it stood then; kind 'withdrawn' means "no longer one".
-- client_id is NULL when the whole event was cancelled. notice_minutes (session start minus
-- recorded_at) is written once here, not worked out in every report.
CREATE SEQUENCE cancellation_id_seq START 1;
CREATE TABLE cancellations (
    id              BIGINT PRIMARY KEY,
    event_id        BIGINT NOT NULL,
    client_id       INTEGER,
    kind            VARCHAR NOT NULL,
    reason_code     VARCHAR,
    reason_text     VARCHAR NOT NULL DEFAULT '',
    notice_minutes  INTEGER NOT NULL,
    recorded_at     TIMESTAMPTZ NOT NULL,
    recorded_by     INTEGER
);
CREATE INDEX cancellations_by_event ON cancellations (event_id, client_id);
CREATE INDEX cancellations_by_time ON cancellations (recorded_at);
