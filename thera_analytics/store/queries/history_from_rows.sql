-- One version for every event that has none yet, from its current rows, valid from its
-- creation (rows loaded in bulk, and events whose changes the audit log cannot replay).
-- The reports' as-of tests on signature, plan and completion instants still apply to it, so
-- as of an instant before its last change it reads as the reports did before history existed.
INSERT INTO event_history ({history_columns})
SELECT e.id, e.version, e.created_at, e.kind, e.clinician_id, e.service_id,
       e.direct, e.series_id, e.starts_at, e.ends_at, e.duration_minutes, e.local_start,
       e.local_date, e.week_start, e.month_key, e.weekday, e.cancelled_at, p.saved_at,
       o.status, o.signed_at, o.signed_by, COALESCE(e.dot_details, FALSE),
       COALESCE(e.dot_plan, FALSE), COALESCE(e.dot_outcome, FALSE), e.completed_at,
       e.updated_by
FROM events e
LEFT JOIN plans p ON p.event_id = e.id
LEFT JOIN outcomes o ON o.event_id = e.id
WHERE NOT EXISTS (SELECT 1 FROM event_history h WHERE h.event_id = e.id)
