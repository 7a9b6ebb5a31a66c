-- The id of a new portal notification.
SELECT nextval('notification_id_seq')
