-- How many times a reminder has been tried.
SELECT attempts FROM reminders WHERE id = ?
