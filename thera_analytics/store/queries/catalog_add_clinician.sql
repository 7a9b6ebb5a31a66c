-- A new clinician.
INSERT INTO clinicians (id, name, email) VALUES (?, ?, ?)
