-- An event's state as its rows now hold it, written as its version from an instant on (the
-- version before it holds until then: migration 013).
-- Parameters: the instant, the event id.
INSERT INTO event_history ({history_columns})
SELECT e.id, e.version, CAST(? AS TIMESTAMPTZ), e.kind, e.clinician_id, e.service_id,
       e.direct, e.series_id, e.starts_at, e.ends_at, e.duration_minutes, e.local_start,
       e.local_date, e.week_start, e.month_key, e.weekday, e.cancelled_at, p.saved_at,
       o.status, o.signed_at, o.signed_by, COALESCE(e.dot_details, FALSE),
       COALESCE(e.dot_plan, FALSE), COALESCE(e.dot_outcome, FALSE), e.completed_at,
       e.updated_by
FROM events e
LEFT JOIN plans p ON p.event_id = e.id
LEFT JOIN outcomes o ON o.event_id = e.id
WHERE e.id = ?
