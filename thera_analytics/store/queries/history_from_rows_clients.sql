-- The clients of the versions history_from_rows.sql wrote (those without any client rows):
-- each event's current version (events.version).
INSERT INTO event_client_history (event_id, version, client_id, attendance, valid_from,
                                  valid_to, starts_at, live)
SELECT ec.event_id, h.version, ec.client_id, ec.attendance, h.valid_from, NULL,
       h.starts_at, (k.event_group = 'client' AND h.cancelled_at IS NULL)
FROM event_clients ec
JOIN events e ON e.id = ec.event_id
JOIN event_history h ON h.event_id = e.id AND h.version = e.version
JOIN event_kinds k ON k.kind = h.kind
WHERE NOT EXISTS (SELECT 1 FROM event_client_history x
                  WHERE x.event_id = ec.event_id AND x.version = h.version)
