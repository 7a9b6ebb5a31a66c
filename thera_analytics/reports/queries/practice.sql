-- The practice's name and IANA time zone (one row, or none before `thera init`).
SELECT name, time_zone FROM practice WHERE id = 1
