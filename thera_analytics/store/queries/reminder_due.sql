-- Reminders the dispatcher should try now, oldest due first, on the channels it can send.
-- Claimed reminders are being sent (or were abandoned mid-send) and are never picked again.
-- Params: now, now, channels (a list), limit.
SELECT r.id, r.channel
FROM reminders r
WHERE r.state = 'pending'
  AND r.claimed_at IS NULL
  AND r.due_at <= ?
  AND (r.next_attempt_at IS NULL OR r.next_attempt_at <= ?)
  AND CAST(r.channel AS VARCHAR) IN (SELECT UNNEST(CAST(? AS VARCHAR[])))
ORDER BY r.due_at, r.id
LIMIT ?
