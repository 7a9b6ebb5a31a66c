-- The third-party contacts of some clients.
SELECT id, client_id, name, email, relationship
FROM third_parties
WHERE client_id IN (SELECT unnest(?))
ORDER BY name, id
