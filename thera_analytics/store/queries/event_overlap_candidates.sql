-- A clinician's live events between two instants (candidates for an overlap).
SELECT id, kind, title, starts_at, ends_at
FROM events
WHERE clinician_id = ? AND cancelled_at IS NULL AND starts_at < ? AND ends_at > ?
ORDER BY starts_at
