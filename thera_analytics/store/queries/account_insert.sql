-- A new active user.
INSERT INTO users (id, username, password_hash, role, display_name, clinician_id, client_id,
                   active, created_at)
VALUES (?, ?, ?, ?, ?, ?, ?, TRUE, ?)
