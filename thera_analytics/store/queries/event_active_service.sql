-- Is this an active service?
SELECT 1 FROM services WHERE id = ? AND active
