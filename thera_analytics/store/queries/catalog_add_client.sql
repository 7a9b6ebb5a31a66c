-- A new client.
INSERT INTO clients (id, name, email) VALUES (?, ?, ?)
