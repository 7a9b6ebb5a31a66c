-- Reminders the dispatcher should try now, oldest due first. Params: now, now, limit.
-- Claimed reminders are being sent (or were abandoned mid-send) and are never picked again.
SELECT r.id, r.channel
FROM reminders r
WHERE r.state = 'pending'
  AND r.claimed_at IS NULL
  AND r.due_at <= ?
  AND (r.next_attempt_at IS NULL OR r.next_attempt_at <= ?)
ORDER BY r.due_at, r.id
LIMIT ?
