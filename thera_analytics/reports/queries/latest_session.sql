-- The local day of the practice's latest client session that had started by an instant (NULL
-- when there is none): the day the notebooks' default periods count back from.
SELECT max(e.local_date) AS latest
FROM events e
JOIN event_kinds k ON k.kind = e.kind
WHERE k.event_group = 'client'
  AND e.cancelled_at IS NULL
  AND e.starts_at <= ?
