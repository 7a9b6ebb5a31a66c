SELECT nextval('service_id_seq')
