-- A new event at version 1, its details dot as given, nothing planned or marked yet.
INSERT INTO events (id, kind, clinician_id, title, starts_at, ends_at, duration_minutes,
                    local_start, local_date, week_start, month_key, weekday, service_id, direct,
                    video_link, series_id, series_index, cancelled_at, version, created_at,
                    created_by, updated_at, updated_by, dot_details, dot_plan, dot_outcome,
                    completed_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, 1, ?, ?, ?, ?, ?,
        FALSE, FALSE, NULL)
