-- Completion per clinician per week: live client events, those ended before an instant, and of
-- those how many had each dot green then (a plan or signature saved later counts as not yet).
-- Parameters: as of (three times), first day, last day, clinician id or NULL (twice),
-- service id or NULL (twice).
WITH s AS (
    SELECT
        es.clinician_id,
        es.week_start,
        es.ends_at < CAST(? AS TIMESTAMPTZ) AS ended,
        es.dot_details,
        COALESCE(es.plan_saved_at <= CAST(? AS TIMESTAMPTZ), FALSE) AS dot_plan,
        es.dot_outcome AND COALESCE(es.signed_at <= CAST(? AS TIMESTAMPTZ), FALSE) AS dot_outcome
    FROM event_status es
    WHERE es.local_date BETWEEN CAST(? AS DATE) AND CAST(? AS DATE)
      AND (CAST(? AS INTEGER) IS NULL OR es.clinician_id = CAST(? AS INTEGER))
      AND (CAST(? AS INTEGER) IS NULL OR es.service_id = CAST(? AS INTEGER))
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
