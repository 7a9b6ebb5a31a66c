SELECT nextval('third_party_id_seq')
