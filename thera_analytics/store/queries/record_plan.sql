-- One event's plan (step 2).
SELECT plan_text, previous_homework, previous_note, saved_at FROM plans WHERE event_id = ?
