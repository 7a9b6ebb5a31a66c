SELECT nextval('clinician_id_seq')
