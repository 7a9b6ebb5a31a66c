-- The homework and note of the clinician's most recent earlier live session with exactly the
-- same clients (no more, no fewer): a couple's plan is pre-filled from the couple's last
-- session, never from one partner's individual session, and an individual's never from a group
-- or family session (see docs/decisions.md). Sessions are looked up through the first client.
-- Parameters: clinician id, start, event id, first client id, number of clients, client ids,
-- number of clients.
SELECT e.id, o.homework, o.note
FROM events e
JOIN outcomes o ON o.event_id = e.id
WHERE e.clinician_id = ?
  AND e.starts_at < ?
  AND e.cancelled_at IS NULL
  AND e.id <> ?
  AND e.id IN (
      SELECT ec.event_id
      FROM event_clients ec
      WHERE ec.event_id IN (SELECT event_id FROM event_clients WHERE client_id = ?)
      GROUP BY ec.event_id
      HAVING COUNT(*) = ?
         AND COUNT(*) FILTER (WHERE ec.client_id IN (SELECT unnest(?))) = ?
  )
ORDER BY e.starts_at DESC, e.id DESC
LIMIT 1
