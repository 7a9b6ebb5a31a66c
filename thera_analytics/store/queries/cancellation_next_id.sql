-- The id of a new cancellation row.
SELECT nextval('cancellation_id_seq')
