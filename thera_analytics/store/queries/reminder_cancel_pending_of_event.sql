-- Every pending reminder of a cancelled event.
UPDATE reminders SET state = 'cancelled' WHERE event_id = ? AND state = 'pending'
