-- Calendar events and the three steps of client events.

CREATE TYPE event_kind AS ENUM (
    'client_session', 'video_session', 'phone_session', 'home_visit', 'group_session',
    'client_team_meeting', 'team_meeting', 'professional_development', 'admin', 'personal_leave'
);
CREATE TYPE attendance AS ENUM (
    'attended', 'cancelled', 'late_cancellation', 'no_show', 'non_billable'
);
CREATE TYPE session_status AS ENUM ('completed', 'in_progress', 'on_hold');
CREATE TYPE reminder_channel AS ENUM ('email', 'browser');
CREATE TYPE recipient_kind AS ENUM ('client', 'third_party');
CREATE TYPE reminder_state AS ENUM ('pending', 'sent', 'failed', 'cancelled');

CREATE SEQUENCE series_id_seq START 1;
CREATE TABLE series (
    id              BIGINT PRIMARY KEY,
    clinician_id    INTEGER NOT NULL REFERENCES clinicians (id),
    interval_weeks  INTEGER NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL
);

-- Local-time keys (local_start .. weekday) are written with the instants so reports group
-- by plain columns instead of converting time zones on every query.
-- clinician_id, service_id and series_id are checked by the use cases rather than declared as
-- foreign keys: DuckDB indexes a foreign-key column and turns an UPDATE of an indexed column
-- into delete + insert, which other tables' references to the event then refuse.
CREATE SEQUENCE event_id_seq START 1;
CREATE TABLE events (
    id                BIGINT PRIMARY KEY,
    kind              event_kind NOT NULL,
    clinician_id      INTEGER NOT NULL,
    title             VARCHAR NOT NULL DEFAULT '',
    starts_at         TIMESTAMPTZ NOT NULL,
    ends_at           TIMESTAMPTZ NOT NULL,
    duration_minutes  INTEGER NOT NULL,
    local_start       TIMESTAMP NOT NULL,
    local_date        DATE NOT NULL,
    week_start        DATE NOT NULL,
    month_key         INTEGER NOT NULL,
    weekday           SMALLINT NOT NULL,
    service_id        INTEGER,
    direct            BOOLEAN,
    video_link        VARCHAR,
    series_id         BIGINT,
    series_index      INTEGER,
    cancelled_at      TIMESTAMPTZ,
    version           INTEGER NOT NULL,
    created_at        TIMESTAMPTZ NOT NULL,
    created_by        INTEGER,
    updated_at        TIMESTAMPTZ NOT NULL,
    updated_by        INTEGER
);

-- One row per client of a client event; attendance is recorded per client.
CREATE TABLE event_clients (
    event_id    BIGINT NOT NULL REFERENCES events (id),
    client_id   INTEGER NOT NULL REFERENCES clients (id),
    attendance  attendance,
    PRIMARY KEY (event_id, client_id)
);

CREATE TABLE event_team_members (
    event_id      BIGINT NOT NULL REFERENCES events (id),
    clinician_id  INTEGER NOT NULL REFERENCES clinicians (id),
    PRIMARY KEY (event_id, clinician_id)
);

CREATE TABLE event_third_parties (
    event_id        BIGINT NOT NULL REFERENCES events (id),
    third_party_id  INTEGER NOT NULL REFERENCES third_parties (id),
    PRIMARY KEY (event_id, third_party_id)
);

CREATE SEQUENCE reminder_id_seq START 1;
CREATE TABLE reminders (
    id               BIGINT PRIMARY KEY,
    event_id         BIGINT NOT NULL REFERENCES events (id),
    recipient_kind   recipient_kind NOT NULL,
    client_id        INTEGER REFERENCES clients (id),
    third_party_id   INTEGER REFERENCES third_parties (id),
    channel          reminder_channel NOT NULL,
    lead_minutes     INTEGER NOT NULL,
    due_at           TIMESTAMPTZ NOT NULL,
    state            reminder_state NOT NULL,
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  TIMESTAMPTZ,
    sent_at          TIMESTAMPTZ,
    last_error       VARCHAR
);

-- Step 2.
CREATE TABLE plans (
    event_id           BIGINT PRIMARY KEY REFERENCES events (id),
    plan_text          VARCHAR NOT NULL,
    previous_homework  VARCHAR NOT NULL,
    previous_note      VARCHAR NOT NULL,
    saved_at           TIMESTAMPTZ NOT NULL,
    saved_by           INTEGER
);

-- Step 3 (attendance lives on event_clients).
CREATE TABLE outcomes (
    event_id          BIGINT PRIMARY KEY REFERENCES events (id),
    status            session_status,
    note              VARCHAR NOT NULL DEFAULT '',
    homework          VARCHAR NOT NULL DEFAULT '',
    homework_enabled  BOOLEAN NOT NULL DEFAULT FALSE,
    homework_shared   BOOLEAN NOT NULL DEFAULT FALSE,
    updated_at        TIMESTAMPTZ NOT NULL,
    updated_by        INTEGER,
    signed_at         TIMESTAMPTZ,
    signed_by         INTEGER
);

-- Changes made in the 24 hours after signing keep the previous value.
CREATE SEQUENCE amendment_id_seq START 1;
CREATE TABLE amendments (
    id              BIGINT PRIMARY KEY,
    event_id        BIGINT NOT NULL REFERENCES events (id),
    field           VARCHAR NOT NULL,
    client_id       INTEGER,
    previous_value  VARCHAR,
    new_value       VARCHAR,
    amended_by      INTEGER NOT NULL,
    amended_at      TIMESTAMPTZ NOT NULL
);

-- Addenda: the only thing that can be added after the lock.
CREATE SEQUENCE comment_id_seq START 1;
CREATE TABLE comments (
    id          BIGINT PRIMARY KEY,
    event_id    BIGINT NOT NULL REFERENCES events (id),
    author_id   INTEGER NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    body        VARCHAR NOT NULL
);

-- Append-only: the store has no statement that updates or deletes it.
CREATE SEQUENCE audit_id_seq START 1;
CREATE TABLE audit_log (
    id         BIGINT PRIMARY KEY,
    logged_at  TIMESTAMPTZ NOT NULL,
    user_id    INTEGER,
    action     VARCHAR NOT NULL,
    entity     VARCHAR NOT NULL,
    entity_id  BIGINT,
    before     JSON,
    after      JSON
);
