-- The previous value of a field changed within the 24-hour amendment window.
INSERT INTO amendments (id, event_id, field, client_id, previous_value, new_value, amended_by,
                        amended_at)
VALUES (nextval('amendment_id_seq'), ?, ?, ?, ?, ?, ?, ?)
