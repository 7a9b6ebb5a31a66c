-- An event's new time, with the practice-local keys reports group by.
UPDATE events SET starts_at = ?, ends_at = ?, duration_minutes = ?, local_start = ?,
    local_date = ?, week_start = ?, month_key = ?, weekday = ?
WHERE id = ?
