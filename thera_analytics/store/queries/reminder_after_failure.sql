-- A failed send: the claim released, the error kept, the next try (or none).
UPDATE reminders SET state = ?, claimed_at = NULL, last_error = ?, next_attempt_at = ?
WHERE id = ?
