-- The id of a new event.
SELECT nextval('event_id_seq')
