-- The completion rule, written once in SQL: every client event (cancelled ones too, with
-- cancelled_at) with its marks, plan, outcome and three dots. Dot 1: a service and at least one
-- client; dot 2: a saved plan; dot 3: signed, and every client's attendance marked (direct) or
-- a status of any kind (indirect). It is domain.dots' rule (tests/store/test_completion_rule.py
-- holds the two equal on every state, on both engines). Not a query on its own: the analyst
-- view event_status (migration 006) and derive_completion.sql inline it (store.sql).
SELECT
    e.id AS event_id,
    e.clinician_id,
    e.kind,
    e.starts_at,
    e.ends_at,
    e.local_date,
    e.week_start,
    e.month_key,
    e.direct,
    e.service_id,
    e.cancelled_at,
    COALESCE(m.clients, 0) AS clients,
    COALESCE(m.unmarked, 0) AS unmarked,
    o.status,
    o.signed_at,
    p.saved_at AS plan_saved_at,
    (e.service_id IS NOT NULL AND COALESCE(m.clients, 0) > 0) AS dot_details,
    (p.event_id IS NOT NULL) AS dot_plan,
    (o.signed_at IS NOT NULL AND CASE WHEN e.direct THEN COALESCE(m.unmarked, 1) = 0
                                      ELSE o.status IS NOT NULL END) AS dot_outcome
FROM events e
JOIN event_kinds k ON k.kind = e.kind
LEFT JOIN (
    SELECT event_id,
           COUNT(*) AS clients,
           COUNT(*) FILTER (WHERE attendance IS NULL) AS unmarked
    FROM event_clients
    GROUP BY event_id
) AS m ON m.event_id = e.id
LEFT JOIN plans p ON p.event_id = e.id
LEFT JOIN outcomes o ON o.event_id = e.id
WHERE k.event_group = 'client'
