-- A reminder no longer wanted (kept for the record).
UPDATE reminders SET state = 'cancelled' WHERE id = ?
