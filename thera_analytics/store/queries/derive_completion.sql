-- Every client event's three dots and completion instant, worked out from its plan, outcome
-- and client marks by the completion rule (event_dots.sql, the SQL of domain.dots). Fills rows
-- written in bulk (a migration, the sample generator). No parameters.
UPDATE events
SET dot_details = d.dot_details,
    dot_plan = d.dot_plan,
    dot_outcome = d.dot_outcome,
    completed_at = CASE WHEN d.dot_details AND d.dot_plan AND d.dot_outcome
                        THEN GREATEST(d.signed_at, d.plan_saved_at) END
FROM (
{event_dots}
) AS d
WHERE events.id = d.event_id
