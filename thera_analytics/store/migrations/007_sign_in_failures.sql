-- Wrong passwords per user name, kept in the database so that every server process counts the
-- same tries (a practice on PostgreSQL may be served by several). The name is stored as typed,
-- trimmed and lower-cased, whether or not such a user exists, so refusals reveal nobody.

CREATE TABLE sign_in_failures (
    username_key  VARCHAR NOT NULL,
    failed_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX sign_in_failures_by_name ON sign_in_failures (username_key, failed_at);

CREATE TABLE sign_in_lockouts (
    username_key  VARCHAR PRIMARY KEY,
    locked_until  TIMESTAMPTZ NOT NULL
);
