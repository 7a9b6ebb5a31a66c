-- Which of these ids are clinicians.
SELECT id FROM clinicians WHERE id IN (SELECT unnest(?))
