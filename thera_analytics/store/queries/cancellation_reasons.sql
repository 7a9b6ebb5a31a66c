-- Every cancellation reason on the list, retired ones included.
SELECT code, label, needs_text, retired_at FROM cancellation_reasons ORDER BY position, label
