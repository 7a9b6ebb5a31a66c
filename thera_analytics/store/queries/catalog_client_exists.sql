-- Is there a client with this id?
SELECT 1 FROM clients WHERE id = ?
