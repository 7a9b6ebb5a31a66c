-- Step 3 of one event, written whole (the signature is kept as it is).
INSERT INTO outcomes (event_id, status, note, homework, homework_enabled, homework_shared,
                      updated_at, updated_by)
VALUES (?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (event_id) DO UPDATE SET
    status = excluded.status, note = excluded.note, homework = excluded.homework,
    homework_enabled = excluded.homework_enabled, homework_shared = excluded.homework_shared,
    updated_at = excluded.updated_at, updated_by = excluded.updated_by
