-- A browser reminder delivered at once (no claim taken): sent, one more attempt.
UPDATE reminders SET state = 'sent', sent_at = ?, attempts = attempts + 1, last_error = NULL,
    next_attempt_at = NULL
WHERE id = ?
