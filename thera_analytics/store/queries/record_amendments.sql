-- The amendments made to one event's signed note, oldest first.
SELECT a.field, a.client_id, a.previous_value, a.new_value, u.display_name, a.amended_at
FROM amendments a
LEFT JOIN users u ON u.id = a.amended_by
WHERE a.event_id = ?
ORDER BY a.amended_at, a.id
