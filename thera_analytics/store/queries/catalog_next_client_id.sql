SELECT nextval('client_id_seq')
