-- Is this an active clinician?
SELECT 1 FROM clinicians WHERE id = ? AND active
