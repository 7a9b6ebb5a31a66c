-- Which of these ids are clients.
SELECT id FROM clients WHERE id IN (SELECT unnest(?))
