-- The id of a new user.
SELECT nextval('user_id_seq')
