-- The session_facts rows (one per client per live client event), from the one definition the
-- analysts' view shares (store/queries/session_facts_rows.sql), read from the tables directly
-- so reports.source can put the event history in front of it: with as of, the rows as they
-- stood at that instant (first_visit then worked out from the versions valid then).
-- Parameters: first day or NULL, last day or NULL (local dates).
SELECT f.*
FROM (
{session_facts_rows}
) AS f
WHERE (CAST(? AS DATE) IS NULL OR f.local_date >= CAST(? AS DATE))
  AND (CAST(? AS DATE) IS NULL OR f.local_date <= CAST(? AS DATE))
ORDER BY f.starts_at, f.event_id, f.client_id
