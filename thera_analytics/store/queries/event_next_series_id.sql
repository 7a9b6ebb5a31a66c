-- The id of a new series.
SELECT nextval('series_id_seq')
