-- The practice's name and when it was set up.
SELECT name, created_at FROM practice WHERE id = 1
