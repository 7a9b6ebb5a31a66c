-- Is there a clinician with this id?
SELECT 1 FROM clinicians WHERE id = ?
