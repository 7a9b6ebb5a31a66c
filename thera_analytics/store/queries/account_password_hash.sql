-- An active user's password hash.
SELECT password_hash FROM users WHERE username = ? AND active
