-- One row of the append-only cancellations record.
INSERT INTO cancellations (id, event_id, client_id, kind, reason_code, reason_text,
                           notice_minutes, recorded_at, recorded_by)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
