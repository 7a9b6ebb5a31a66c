-- The cancellation reasons as the manager sees them.
SELECT code, label, needs_text, position, added_at, retired_at
FROM cancellation_reasons
ORDER BY position, label
