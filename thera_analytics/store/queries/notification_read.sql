-- A client's portal notifications already read.
SELECT id FROM notifications WHERE client_id = ? AND read_at IS NOT NULL
