-- Claim one pending reminder for sending (step 1 of a send): set claimed_at and count the
-- attempt, only if nobody has claimed it. The row count (1 or 0) says whether this dispatcher
-- won it. Parameters: the claim's instant, the reminder id.
UPDATE reminders
SET claimed_at = ?, attempts = attempts + 1
WHERE id = ?
  AND state = 'pending'
  AND claimed_at IS NULL
