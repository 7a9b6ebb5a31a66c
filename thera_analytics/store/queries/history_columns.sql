-- The columns of an event_history row, in the order history_open.sql,
-- history_open_known.sql and history_from_rows.sql write them (inlined there as a fragment).
event_id, version, valid_from, kind, clinician_id, service_id, direct, series_id,
starts_at, ends_at, duration_minutes, local_start, local_date, week_start, month_key, weekday,
cancelled_at, plan_saved_at, status, signed_at, signed_by, dot_details, dot_plan, dot_outcome,
completed_at, changed_by
