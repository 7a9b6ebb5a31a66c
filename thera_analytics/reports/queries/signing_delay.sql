-- Client events in a period that had ended before an instant, by clinician and by whole hours
-- from the session's end to its signature (NULL = not signed by then; capped at a limit;
-- signing before the end counts as 0).
-- Parameters: as of, cap hours, as of, first day, last day, clinician id or NULL (twice),
-- service id or NULL (twice).
SELECT
    d.clinician_id,
    c.name AS clinician,
    d.delay_hour,
    COUNT(*) AS notes
FROM (
    SELECT
        e.clinician_id,
        CASE WHEN o.signed_at IS NULL OR o.signed_at > CAST(? AS TIMESTAMPTZ) THEN NULL
             ELSE LEAST(CAST(FLOOR(GREATEST(EXTRACT(EPOCH FROM o.signed_at)
                                            - EXTRACT(EPOCH FROM e.ends_at), 0) / 3600.0)
                                 AS INTEGER), CAST(? AS INTEGER))
        END AS delay_hour
    FROM events e
    JOIN event_kinds k ON k.kind = e.kind
    LEFT JOIN outcomes o ON o.event_id = e.id
    WHERE k.event_group = 'client'
      AND e.cancelled_at IS NULL
      AND e.ends_at < CAST(? AS TIMESTAMPTZ)
      AND e.local_date BETWEEN CAST(? AS DATE) AND CAST(? AS DATE)
      AND (CAST(? AS INTEGER) IS NULL OR e.clinician_id = CAST(? AS INTEGER))
      AND (CAST(? AS INTEGER) IS NULL OR e.service_id = CAST(? AS INTEGER))
) AS d
JOIN clinicians c ON c.id = d.clinician_id
GROUP BY d.clinician_id, c.name, d.delay_hour
