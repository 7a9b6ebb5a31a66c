-- A clinician's name.
SELECT name FROM clinicians WHERE id = ?
