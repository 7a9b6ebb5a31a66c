-- The signature on one event's note.
INSERT INTO outcomes (event_id, updated_at, updated_by, signed_at, signed_by)
VALUES (?, ?, ?, ?, ?)
ON CONFLICT (event_id) DO UPDATE SET signed_at = excluded.signed_at, signed_by = excluded.signed_by
