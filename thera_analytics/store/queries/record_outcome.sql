-- One event's outcome (step 3) with the signer's name.
SELECT o.status, o.note, o.homework, o.homework_enabled, o.homework_shared, o.signed_at,
       u.display_name
FROM outcomes o
LEFT JOIN users u ON u.id = o.signed_by
WHERE o.event_id = ?
