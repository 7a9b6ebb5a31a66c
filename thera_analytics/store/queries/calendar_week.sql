-- Live events in one local week (Monday = ?), of one clinician (owner or team member) when
-- the second parameter is not NULL, else of the whole practice.
WITH week AS (
    SELECT e.*
    FROM events e
    WHERE e.week_start = ?
      AND e.cancelled_at IS NULL
      AND (CAST(? AS INTEGER) IS NULL
           OR e.clinician_id = CAST(? AS INTEGER)
           OR e.id IN (SELECT event_id FROM event_team_members
                       WHERE clinician_id = CAST(? AS INTEGER)))
),
people AS (
    SELECT ec.event_id,
           STRING_AGG(c.name, ', ' ORDER BY c.name) AS client_names,
           STRING_AGG(COALESCE(CAST(ec.attendance AS VARCHAR), '-'), ',' ORDER BY c.name)
               AS attendance,
           COUNT(*) AS clients,
           COUNT(*) FILTER (WHERE ec.attendance IS NULL) AS unmarked
    FROM event_clients ec
    JOIN clients c ON c.id = ec.client_id
    WHERE ec.event_id IN (SELECT id FROM week)
    GROUP BY ec.event_id
)
SELECT
    w.id AS event_id,
    w.version,
    w.kind,
    k.label AS kind_label,
    k.event_group,
    k.colour_family,
    w.clinician_id,
    cl.name AS clinician_name,
    w.title,
    w.starts_at,
    w.ends_at,
    w.local_start,
    w.local_date,
    w.duration_minutes,
    w.direct,
    w.service_id,
    sv.name AS service_name,
    COALESCE(p.client_names, '') AS client_names,
    COALESCE(p.attendance, '') AS attendance,
    COALESCE(p.clients, 0) AS clients,
    COALESCE(p.unmarked, 0) AS unmarked,
    o.status,
    o.signed_at,
    (pl.event_id IS NOT NULL) AS plan_saved
FROM week w
JOIN event_kinds k ON k.kind = w.kind
JOIN clinicians cl ON cl.id = w.clinician_id
LEFT JOIN services sv ON sv.id = w.service_id
LEFT JOIN people p ON p.event_id = w.id
LEFT JOIN plans pl ON pl.event_id = w.id
LEFT JOIN outcomes o ON o.event_id = w.id
ORDER BY w.starts_at, w.id
