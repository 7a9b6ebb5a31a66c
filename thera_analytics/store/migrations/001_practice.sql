-- The practice, its people and its reference data.
-- Portable to PostgreSQL 15: no identity columns, no cascades; ids come from sequences.

CREATE TYPE user_role AS ENUM ('clinician', 'manager', 'client');

CREATE TABLE practice (
    id          INTEGER PRIMARY KEY,
    name        VARCHAR NOT NULL,
    time_zone   VARCHAR NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL
);

CREATE SEQUENCE clinician_id_seq START 1;
CREATE TABLE clinicians (
    id      INTEGER PRIMARY KEY,
    name    VARCHAR NOT NULL,
    email   VARCHAR,
    active  BOOLEAN NOT NULL DEFAULT TRUE
);

CREATE SEQUENCE client_id_seq START 1;
CREATE TABLE clients (
    id      INTEGER PRIMARY KEY,
    name    VARCHAR NOT NULL,
    email   VARCHAR,
    active  BOOLEAN NOT NULL DEFAULT TRUE
);

CREATE SEQUENCE service_id_seq START 1;
CREATE TABLE services (
    id               INTEGER PRIMARY KEY,
    name             VARCHAR NOT NULL UNIQUE,
    default_minutes  INTEGER NOT NULL,
    active           BOOLEAN NOT NULL DEFAULT TRUE
);

-- A GP, parent or teacher connected to a client.
CREATE SEQUENCE third_party_id_seq START 1;
CREATE TABLE third_parties (
    id            INTEGER PRIMARY KEY,
    client_id     INTEGER NOT NULL REFERENCES clients (id),
    name          VARCHAR NOT NULL,
    email         VARCHAR,
    relationship  VARCHAR NOT NULL
);

CREATE SEQUENCE user_id_seq START 1;
CREATE TABLE users (
    id             INTEGER PRIMARY KEY,
    username       VARCHAR NOT NULL UNIQUE,
    password_hash  VARCHAR NOT NULL,
    role           user_role NOT NULL,
    display_name   VARCHAR NOT NULL,
    clinician_id   INTEGER REFERENCES clinicians (id),
    client_id      INTEGER REFERENCES clients (id),
    active         BOOLEAN NOT NULL DEFAULT TRUE,
    created_at     TIMESTAMPTZ NOT NULL
);
