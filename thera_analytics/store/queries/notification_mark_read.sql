-- A portal notification read.
UPDATE notifications SET read_at = ? WHERE id = ?
