-- The active services.
SELECT id, name, default_minutes FROM services WHERE active ORDER BY name
