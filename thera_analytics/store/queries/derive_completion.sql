-- Every client event's three dots and completion instant, worked out from its plan, outcome
-- and client marks by the rule of domain.dots (the Python rule the use cases apply on each
-- change; tests hold the two equal). Fills rows written in bulk (a migration, the sample
-- generator). No parameters.
UPDATE events
SET dot_details = d.dot_details,
    dot_plan = d.dot_plan,
    dot_outcome = d.dot_outcome,
    completed_at = CASE WHEN d.dot_details AND d.dot_plan AND d.dot_outcome
                        THEN GREATEST(d.signed_at, d.plan_saved_at) END
FROM (
    WITH marks AS (
        SELECT event_id,
               COUNT(*) AS clients,
               COUNT(*) FILTER (WHERE attendance IS NULL) AS unmarked
        FROM event_clients
        GROUP BY event_id
    )
    SELECT
        e.id,
        (e.service_id IS NOT NULL AND COALESCE(m.clients, 0) > 0) AS dot_details,
        (p.event_id IS NOT NULL) AS dot_plan,
        COALESCE(o.signed_at IS NOT NULL
                 AND CASE WHEN e.direct THEN COALESCE(m.clients, 0) > 0 AND m.unmarked = 0
                          ELSE o.status IS NOT NULL END, FALSE) AS dot_outcome,
        o.signed_at,
        p.saved_at AS plan_saved_at
    FROM events e
    JOIN event_kinds k ON k.kind = e.kind
    LEFT JOIN plans p ON p.event_id = e.id
    LEFT JOIN outcomes o ON o.event_id = e.id
    LEFT JOIN marks m ON m.event_id = e.id
    WHERE k.event_group = 'client'
) AS d
WHERE events.id = d.id
