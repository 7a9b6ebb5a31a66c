-- Completion per clinician per week: live client events, those ended before an instant, and of
-- those how many had each dot green then (a plan or signature saved later counts as not yet;
-- marks and status as stored). The dots are event_status's, read from the tables directly.
-- Parameters: first day, last day, clinician id or NULL (twice), service id or NULL (twice),
-- as of (three times).
WITH e AS (
    SELECT ev.id, ev.clinician_id, ev.week_start, ev.ends_at, ev.direct, ev.service_id
    FROM events ev
    JOIN event_kinds k ON k.kind = ev.kind
    WHERE k.event_group = 'client'
      AND ev.cancelled_at IS NULL
      AND ev.local_date BETWEEN CAST(? AS DATE) AND CAST(? AS DATE)
      AND (CAST(? AS INTEGER) IS NULL OR ev.clinician_id = CAST(? AS INTEGER))
      AND (CAST(? AS INTEGER) IS NULL OR ev.service_id = CAST(? AS INTEGER))
),
marks AS (
    SELECT ec.event_id,
           COUNT(*) AS clients,
           COUNT(*) FILTER (WHERE ec.attendance IS NULL) AS unmarked
    FROM event_clients ec
    WHERE ec.event_id IN (SELECT id FROM e)
    GROUP BY ec.event_id
),
s AS (
    SELECT
        e.clinician_id,
        e.week_start,
        e.ends_at < CAST(? AS TIMESTAMPTZ) AS ended,
        (e.service_id IS NOT NULL AND COALESCE(m.clients, 0) > 0) AS dot_details,
        COALESCE(p.saved_at <= CAST(? AS TIMESTAMPTZ), FALSE) AS dot_plan,
        COALESCE(o.signed_at <= CAST(? AS TIMESTAMPTZ)
                 AND CASE WHEN e.direct THEN COALESCE(m.unmarked, 1) = 0
                          ELSE o.status IS NOT NULL END, FALSE) AS dot_outcome
    FROM e
    LEFT JOIN marks m ON m.event_id = e.id
    LEFT JOIN plans p ON p.event_id = e.id
    LEFT JOIN outcomes o ON o.event_id = e.id
)
SELECT
    s.clinician_id,
    c.name AS clinician,
    s.week_start,
    COUNT(*) AS client_events,
    COUNT(*) FILTER (WHERE s.ended) AS ended,
    COUNT(*) FILTER (WHERE s.ended AND s.dot_details) AS details,
    COUNT(*) FILTER (WHERE s.ended AND s.dot_plan) AS plan,
    COUNT(*) FILTER (WHERE s.ended AND s.dot_outcome) AS outcome,
    COUNT(*) FILTER (WHERE s.ended AND s.dot_details AND s.dot_plan AND s.dot_outcome)
        AS complete
FROM s
JOIN clinicians c ON c.id = s.clinician_id
GROUP BY s.clinician_id, c.name, s.week_start
