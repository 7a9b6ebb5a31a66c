-- Settle a reminder without sending it (cancelled or failed), with the reason.
UPDATE reminders SET state = ?, last_error = ?, claimed_at = NULL, next_attempt_at = NULL
WHERE id = ?
