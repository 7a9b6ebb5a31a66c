-- The history of every event: one row per version, with the instants it was valid (from
-- valid_from, up to but not including valid_to; NULL = the current version), holding what the
-- reports read, so a report "as of" a past instant reads the practice as it stood then (the
-- pattern of SQL:2011 system-versioned tables and dbt snapshots). Written by every use case that
-- changes an event, in its transaction (store.history); this migration fills it for the events
-- that exist (store.history.rebuild: from the audit log where it can, else one version from the
-- current row). Keyed by the event's own version, so two changes at the same instant are two
-- versions (the first valid for no time at all).
CREATE TABLE event_history (
    event_id          BIGINT NOT NULL,
    version           INTEGER NOT NULL,
    valid_from        TIMESTAMPTZ NOT NULL,
    valid_to          TIMESTAMPTZ,
    kind              event_kind NOT NULL,
    clinician_id      INTEGER NOT NULL,
    service_id        INTEGER,
    direct            BOOLEAN,
    series_id         BIGINT,
    starts_at         TIMESTAMPTZ NOT NULL,
    ends_at           TIMESTAMPTZ NOT NULL,
    duration_minutes  INTEGER NOT NULL,
    local_start       TIMESTAMP NOT NULL,
    local_date        DATE NOT NULL,
    week_start        DATE NOT NULL,
    month_key         INTEGER NOT NULL,
    weekday           SMALLINT NOT NULL,
    cancelled_at      TIMESTAMPTZ,
    plan_saved_at     TIMESTAMPTZ,
    status            session_status,
    signed_at         TIMESTAMPTZ,
    signed_by         INTEGER,
    dot_details       BOOLEAN NOT NULL,
    dot_plan          BOOLEAN NOT NULL,
    dot_outcome       BOOLEAN NOT NULL,
    completed_at      TIMESTAMPTZ,
    changed_by        INTEGER,
    PRIMARY KEY (event_id, version)
);

-- The clients of each version and their attendance then (one row per client per version).
-- Each row repeats its version's validity, start and liveness, so the reports that read every
-- client's rows as of an instant (attendance, first visits) need not join every version.
CREATE TABLE event_client_history (
    event_id    BIGINT NOT NULL,
    version     INTEGER NOT NULL,
    client_id   INTEGER NOT NULL,
    attendance  attendance,
    valid_from  TIMESTAMPTZ NOT NULL,
    valid_to    TIMESTAMPTZ,
    starts_at   TIMESTAMPTZ NOT NULL,
    live        BOOLEAN NOT NULL,
    PRIMARY KEY (event_id, version, client_id)
);
