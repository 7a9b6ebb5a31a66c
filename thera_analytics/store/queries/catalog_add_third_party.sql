-- A client's new third-party contact.
INSERT INTO third_parties (id, client_id, name, email, relationship) VALUES (?, ?, ?, ?, ?)
