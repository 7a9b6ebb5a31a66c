-- Reminders claimed for sending before the cutoff and never recorded: the dispatcher stopped
-- between the claim and the record. Param: cutoff.
SELECT id, claimed_at, attempts
FROM reminders
WHERE state = 'pending' AND claimed_at IS NOT NULL AND claimed_at <= ?
ORDER BY id
