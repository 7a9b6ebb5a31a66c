-- A new reason on the list.
INSERT INTO cancellation_reasons (code, label, needs_text, position, added_at, added_by)
VALUES (?, ?, ?, ?, ?, ?)
