-- The reminder queue as a manager reads it: one row per reminder, newest due first.
-- Params: state (NULL for every state) twice, event id (NULL for every event) twice.
SELECT
    r.id AS reminder_id,
    r.event_id,
    e.clinician_id,
    cl.name AS clinician_name,
    k.label AS kind_label,
    e.starts_at,
    e.local_start,
    r.recipient_kind,
    COALESCE(r.client_id, r.third_party_id) AS recipient_id,
    COALESCE(c.name, tp.name) AS recipient_name,
    r.channel,
    r.lead_minutes,
    r.due_at,
    r.state,
    r.attempts,
    r.next_attempt_at,
    r.claimed_at,
    r.sent_at,
    r.last_error
FROM reminders r
JOIN events e ON e.id = r.event_id
JOIN event_kinds k ON k.kind = e.kind
JOIN clinicians cl ON cl.id = e.clinician_id
LEFT JOIN clients c ON r.recipient_kind = 'client' AND c.id = r.client_id
LEFT JOIN third_parties tp ON r.recipient_kind = 'third_party' AND tp.id = r.third_party_id
WHERE (CAST(? AS VARCHAR) IS NULL OR CAST(r.state AS VARCHAR) = CAST(? AS VARCHAR))
  AND (CAST(? AS BIGINT) IS NULL OR r.event_id = CAST(? AS BIGINT))
ORDER BY r.due_at DESC, r.id DESC
