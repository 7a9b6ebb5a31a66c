-- The last place on the reasons list before "Other".
SELECT coalesce(max(position), 0) FROM cancellation_reasons WHERE code <> 'other'
