-- The active clinicians.
SELECT id, name, email FROM clinicians WHERE active ORDER BY name, id
