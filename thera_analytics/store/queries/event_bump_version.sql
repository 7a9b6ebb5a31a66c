-- Advance an event's version with its dots and completion instant, if the caller's copy is
-- current (no RETURNING: DuckDB refuses UPDATE ... RETURNING on a row other tables reference).
UPDATE events SET version = version + 1, updated_at = ?, updated_by = ?,
    dot_details = ?, dot_plan = ?, dot_outcome = ?, completed_at = ?
WHERE id = ? AND version = ?
