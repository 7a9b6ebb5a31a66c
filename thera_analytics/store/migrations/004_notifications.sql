-- Reminders delivered into the client portal, and the dispatcher's claim on a reminder.

-- Set (with attempts + 1) in its own transaction just before a send and cleared when the
-- result is recorded. A claim left behind means the dispatcher stopped mid-send: the message may
-- or may not have gone, so it is resolved as "delivery unknown" and never sent again.
ALTER TABLE reminders ADD COLUMN claimed_at TIMESTAMPTZ;

-- A browser reminder becomes one row here, in the same transaction that marks the reminder
-- sent; the UNIQUE reminder_id makes a second delivery of the same reminder impossible.
CREATE SEQUENCE notification_id_seq START 1;
CREATE TABLE notifications (
    id              BIGINT PRIMARY KEY,
    reminder_id     BIGINT UNIQUE REFERENCES reminders (id),
    recipient_kind  recipient_kind NOT NULL,
    client_id       INTEGER REFERENCES clients (id),
    third_party_id  INTEGER REFERENCES third_parties (id),
    event_id        BIGINT NOT NULL REFERENCES events (id),
    created_at      TIMESTAMPTZ NOT NULL,
    title           VARCHAR NOT NULL,
    body            VARCHAR NOT NULL,
    read_at         TIMESTAMPTZ
);
