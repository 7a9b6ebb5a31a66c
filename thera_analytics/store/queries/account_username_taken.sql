-- Is this user name taken (by an active or a retired user)?
SELECT 1 FROM users WHERE username = ?
