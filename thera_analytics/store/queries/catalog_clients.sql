-- The active clients.
SELECT id, name, email FROM clients WHERE active ORDER BY name, id
