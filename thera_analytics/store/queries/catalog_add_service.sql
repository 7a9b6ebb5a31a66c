-- A new service.
INSERT INTO services (id, name, default_minutes) VALUES (?, ?, ?)
