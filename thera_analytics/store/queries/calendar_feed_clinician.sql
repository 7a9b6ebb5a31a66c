-- A clinician's live events (owned, or joined as a team member) for a calendar feed, with the
-- client names of client events. No plan, note or homework. Params: clinician id (x2), from
-- (NULL = no lower bound) x2, to (NULL = no upper bound) x2.
WITH mine AS (
    SELECT e.*
    FROM events e
    WHERE e.cancelled_at IS NULL
      AND (e.clinician_id = ?
           OR e.id IN (SELECT event_id FROM event_team_members WHERE clinician_id = ?))
      AND (CAST(? AS TIMESTAMPTZ) IS NULL OR e.ends_at > CAST(? AS TIMESTAMPTZ))
      AND (CAST(? AS TIMESTAMPTZ) IS NULL OR e.starts_at < CAST(? AS TIMESTAMPTZ))
),
people AS (
    SELECT ec.event_id, STRING_AGG(c.name, ', ' ORDER BY c.name) AS client_names
    FROM event_clients ec
    JOIN clients c ON c.id = ec.client_id
    WHERE ec.event_id IN (SELECT id FROM mine)
    GROUP BY ec.event_id
)
SELECT
    m.id AS event_id,
    m.version,
    m.kind,
    k.label AS kind_label,
    m.title,
    m.starts_at,
    m.ends_at,
    m.created_at,
    m.updated_at,
    m.video_link,
    cl.name AS clinician_name,
    sv.name AS service_name,
    COALESCE(p.client_names, '') AS client_names
FROM mine m
JOIN event_kinds k ON k.kind = m.kind
JOIN clinicians cl ON cl.id = m.clinician_id
LEFT JOIN services sv ON sv.id = m.service_id
LEFT JOIN people p ON p.event_id = m.id
ORDER BY m.starts_at, m.id
