-- Take an event off the calendar.
UPDATE events SET cancelled_at = ? WHERE id = ?
