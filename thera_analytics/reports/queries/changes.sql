-- Who changed what and when: the audit log's rows about events (and the reasons list) in a
-- period, newest first, with the event's clinician and clients for the filters and the reader.
-- Parameters: from instant (inclusive), to instant (exclusive), clinician id or NULL (three
-- times), client id or NULL (three times).
SELECT
    a.id AS change_id,
    a.logged_at,
    a.user_id,
    u.display_name AS who,
    CAST(u.role AS VARCHAR) AS role,
    a.action,
    a.entity,
    a.entity_id AS event_id,
    CAST(e.kind AS VARCHAR) AS event_kind,
    e.starts_at,
    e.clinician_id,
    c.name AS clinician,
    (SELECT string_agg(cl.name, ', ' ORDER BY cl.name)
     FROM event_clients ec JOIN clients cl ON cl.id = ec.client_id
     WHERE ec.event_id = e.id) AS clients,
    CAST(a.before AS VARCHAR) AS before,
    CAST(a.after AS VARCHAR) AS after
FROM audit_log a
LEFT JOIN users u ON u.id = a.user_id
LEFT JOIN events e ON a.entity = 'event' AND e.id = a.entity_id
LEFT JOIN clinicians c ON c.id = e.clinician_id
WHERE a.logged_at >= CAST(? AS TIMESTAMPTZ)
  AND a.logged_at < CAST(? AS TIMESTAMPTZ)
  AND (
      (a.entity = 'event'
       AND (CAST(? AS INTEGER) IS NULL OR e.clinician_id = CAST(? AS INTEGER))
       AND (CAST(? AS INTEGER) IS NULL OR EXISTS (
           SELECT 1 FROM event_clients f
           WHERE f.event_id = e.id AND f.client_id = CAST(? AS INTEGER))))
      OR (a.entity = 'cancellation_reason'
          AND CAST(? AS INTEGER) IS NULL AND CAST(? AS INTEGER) IS NULL)
  )
ORDER BY a.logged_at DESC, a.id DESC
