-- How many reminders are due and waiting at an instant.
SELECT COUNT(*) FROM reminders
WHERE state = 'pending' AND claimed_at IS NULL AND due_at <= ?
  AND (next_attempt_at IS NULL OR next_attempt_at <= ?)
