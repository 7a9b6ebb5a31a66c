-- The live events of a series from an instant on.
SELECT id FROM events
WHERE series_id = ? AND starts_at >= ? AND cancelled_at IS NULL
ORDER BY starts_at
