-- The backlog as of an instant counted by clinician and age bucket, with the oldest age.
-- The subquery b is backlog_as_of.sql, inlined by reports.source (its parameters only).
SELECT
    b.clinician_id,
    c.name AS clinician,
    b.age_bucket,
    b.age_bucket_order,
    COUNT(*) AS notes,
    MAX(b.age_hours) AS oldest_hours
FROM ({backlog_as_of}) AS b
JOIN clinicians c ON c.id = b.clinician_id
GROUP BY b.clinician_id, c.name, b.age_bucket, b.age_bucket_order
