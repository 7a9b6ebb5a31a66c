-- Who an active user is.
SELECT id, role, display_name, clinician_id, client_id FROM users WHERE username = ? AND active
