-- PostgreSQL's form of calendar_week_clients.sql (ANY for DuckDB's list_contains).
-- The clients of some events with their names and attendance marks, by name.
-- Parameters: event ids (a list), the lowest and the highest of them (the range lets DuckDB
-- skip the row groups that cannot hold them).
SELECT ec.event_id, c.name, CAST(ec.attendance AS VARCHAR) AS attendance
FROM event_clients ec
JOIN clients c ON c.id = ec.client_id
WHERE ec.event_id BETWEEN ? AND ?
  AND ec.event_id = ANY(CAST(? AS BIGINT[]))
ORDER BY ec.event_id, c.name
