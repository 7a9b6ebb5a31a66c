-- A browser reminder put into the recipient's portal notifications, unread.
INSERT INTO notifications (id, reminder_id, recipient_kind, client_id, third_party_id, event_id,
                           created_at, title, body, read_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)
