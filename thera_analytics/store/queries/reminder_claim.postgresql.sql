-- PostgreSQL's form of reminder_claim.sql: several server processes dispatch at once, so a row
-- another dispatcher is claiming right now is skipped (FOR UPDATE SKIP LOCKED, the work-queue
-- pattern) instead of waited for. Parameters: the claim's instant, the reminder id.
UPDATE reminders
SET claimed_at = ?, attempts = attempts + 1
WHERE id = (SELECT id FROM reminders
            WHERE id = ? AND state = 'pending' AND claimed_at IS NULL
            FOR UPDATE SKIP LOCKED)
