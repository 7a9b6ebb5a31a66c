-- Every cancellation of a session in a period as it stood at an instant: the latest row of the
-- append-only cancellations table per (event, client) recorded by then, unless it says the
-- cancellation was withdrawn. A cancelled event counts once per client of the event (the
-- client's own mark on it is then left out); a client's Cancelled, Late cancellation or
-- No show counts for that client. rebooked: the client had another session booked within
-- 14 days after the cancellation (and by the instant).
-- Parameters: as_of (three times), first day, last day (local dates of the session),
-- clinician id or NULL (twice), service id or NULL (twice).
WITH ranked AS (
    SELECT
        c.*,
        ROW_NUMBER() OVER (PARTITION BY c.event_id, COALESCE(c.client_id, -1)
                           ORDER BY c.recorded_at DESC, c.id DESC) AS rn
    FROM cancellations c
    WHERE c.recorded_at <= CAST(? AS TIMESTAMPTZ)
),
standing AS (
    SELECT * FROM ranked WHERE rn = 1 AND kind <> 'withdrawn'
),
places AS (
    SELECT
        s.id AS cancellation_id,
        s.event_id,
        COALESCE(s.client_id, ec.client_id) AS client_id,
        s.kind,
        s.reason_code,
        s.reason_text,
        s.notice_minutes,
        s.recorded_at
    FROM standing s
    LEFT JOIN event_clients ec ON s.client_id IS NULL AND ec.event_id = s.event_id
    WHERE s.client_id IS NULL
       OR NOT EXISTS (SELECT 1 FROM standing w
                      WHERE w.event_id = s.event_id AND w.client_id IS NULL)
)
SELECT
    p.cancellation_id,
    p.event_id,
    p.client_id,
    cl.name AS client,
    p.kind,
    p.reason_code,
    COALESCE(r.label, 'No reason given') AS reason,
    p.reason_text,
    p.recorded_at,
    p.notice_minutes,
    e.starts_at,
    e.local_date,
    e.weekday,
    e.kind AS event_kind,
    e.clinician_id,
    c.name AS clinician,
    e.service_id,
    sv.name AS service,
    CASE WHEN p.client_id IS NULL THEN NULL ELSE EXISTS (
        SELECT 1
        FROM event_clients nc
        JOIN events n ON n.id = nc.event_id
        WHERE nc.client_id = p.client_id
          AND n.id <> p.event_id
          AND n.created_at > p.recorded_at
          AND n.created_at <= p.recorded_at + INTERVAL '14 days'
          AND n.created_at <= CAST(? AS TIMESTAMPTZ)
          AND (n.cancelled_at IS NULL OR n.cancelled_at > CAST(? AS TIMESTAMPTZ))
    ) END AS rebooked
FROM places p
JOIN events e ON e.id = p.event_id
LEFT JOIN clients cl ON cl.id = p.client_id
LEFT JOIN clinicians c ON c.id = e.clinician_id
LEFT JOIN services sv ON sv.id = e.service_id
LEFT JOIN cancellation_reasons r ON r.code = p.reason_code
WHERE e.local_date BETWEEN CAST(? AS DATE) AND CAST(? AS DATE)
  AND (CAST(? AS INTEGER) IS NULL OR e.clinician_id = CAST(? AS INTEGER))
  AND (CAST(? AS INTEGER) IS NULL OR e.service_id = CAST(? AS INTEGER))
ORDER BY e.starts_at, p.event_id, p.client_id
