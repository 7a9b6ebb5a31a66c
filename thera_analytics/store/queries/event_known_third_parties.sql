-- Which of these ids are third parties.
SELECT id FROM third_parties WHERE id IN (SELECT unnest(?))
