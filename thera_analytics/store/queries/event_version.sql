-- An event's current version.
SELECT version FROM events WHERE id = ?
