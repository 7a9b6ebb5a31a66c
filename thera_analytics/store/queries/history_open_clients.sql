-- The clients of an event's new version, with their attendance as the rows now hold it, the
-- version's start and whether it is a live client event (for first visits as of an instant).
-- Parameters: the instant, the event id.
INSERT INTO event_client_history (event_id, version, client_id, attendance, valid_from,
                                  valid_to, starts_at, live)
SELECT ec.event_id, e.version, ec.client_id, ec.attendance, CAST(? AS TIMESTAMPTZ), NULL,
       e.starts_at, (k.event_group = 'client' AND e.cancelled_at IS NULL)
FROM event_clients ec
JOIN events e ON e.id = ec.event_id
JOIN event_kinds k ON k.kind = e.kind
WHERE ec.event_id = ?
