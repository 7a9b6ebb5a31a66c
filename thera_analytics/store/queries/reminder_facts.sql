-- One reminder with everything the dispatcher needs to decide and to write the message.
-- Never the note: the message carries time, kind, clinician and join link only. Param: id.
SELECT
    r.id,
    r.event_id,
    r.recipient_kind,
    r.client_id,
    r.third_party_id,
    r.channel,
    r.lead_minutes,
    r.due_at,
    r.state,
    r.attempts,
    r.claimed_at,
    e.kind,
    k.label AS kind_label,
    e.starts_at,
    e.ends_at,
    e.video_link,
    e.cancelled_at,
    cl.name AS clinician_name,
    COALESCE(c.name, tp.name) AS recipient_name,
    COALESCE(c.email, tp.email) AS recipient_email,
    (ec.client_id IS NOT NULL) AS client_booked,
    CAST(ec.attendance AS VARCHAR) AS client_attendance,
    (etp.third_party_id IS NOT NULL) AS third_party_invited,
    p.name AS practice_name
FROM reminders r
JOIN events e ON e.id = r.event_id
JOIN event_kinds k ON k.kind = e.kind
JOIN clinicians cl ON cl.id = e.clinician_id
JOIN practice p ON p.id = 1
LEFT JOIN clients c ON r.recipient_kind = 'client' AND c.id = r.client_id
LEFT JOIN third_parties tp ON r.recipient_kind = 'third_party' AND tp.id = r.third_party_id
LEFT JOIN event_clients ec ON ec.event_id = r.event_id AND ec.client_id = r.client_id
LEFT JOIN event_third_parties etp
       ON etp.event_id = r.event_id AND etp.third_party_id = r.third_party_id
WHERE r.id = ?
