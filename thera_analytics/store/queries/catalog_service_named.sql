-- Is there a service of this name?
SELECT 1 FROM services WHERE name = ?
