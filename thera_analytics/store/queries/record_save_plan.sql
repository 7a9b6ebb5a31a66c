-- Step 2 of one event: the plan with the previous homework and note.
INSERT INTO plans VALUES (?, ?, ?, ?, ?, ?)
ON CONFLICT (event_id) DO UPDATE SET
    plan_text = excluded.plan_text, previous_homework = excluded.previous_homework,
    previous_note = excluded.previous_note, saved_at = excluded.saved_at,
    saved_by = excluded.saved_by
