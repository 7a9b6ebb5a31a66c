-- A claimed reminder sent: the claim released.
UPDATE reminders SET state = 'sent', sent_at = ?, claimed_at = NULL, last_error = NULL,
    next_attempt_at = NULL
WHERE id = ?
