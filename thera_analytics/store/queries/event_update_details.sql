-- An event's details and time (step 1 saved again).
UPDATE events SET kind = ?, title = ?, starts_at = ?, ends_at = ?, duration_minutes = ?,
    local_start = ?, local_date = ?, week_start = ?, month_key = ?, weekday = ?,
    service_id = ?, direct = ?, video_link = ?
WHERE id = ?
