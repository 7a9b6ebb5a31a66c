-- The comments on one event's record, oldest first.
SELECT u.display_name, c.created_at, c.body
FROM comments c
LEFT JOIN users u ON u.id = c.author_id
WHERE c.event_id = ?
ORDER BY c.created_at, c.id
