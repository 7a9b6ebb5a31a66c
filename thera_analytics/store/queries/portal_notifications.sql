-- A client's portal notifications (delivered browser reminders), newest first.
-- Params: client id, limit.
SELECT id, event_id, created_at, title, body, read_at
FROM notifications
WHERE client_id = ?
ORDER BY created_at DESC, id DESC
LIMIT ?
