-- A client's unread portal notifications.
SELECT id FROM notifications WHERE client_id = ? AND read_at IS NULL ORDER BY id
