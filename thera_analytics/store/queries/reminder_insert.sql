-- A new pending reminder.
INSERT INTO reminders (id, event_id, recipient_kind, client_id, third_party_id, channel,
                       lead_minutes, due_at, state, attempts)
VALUES (nextval('reminder_id_seq'), ?, ?, ?, ?, ?, ?, ?, 'pending', 0)
