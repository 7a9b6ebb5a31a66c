-- The id of a new comment.
SELECT nextval('comment_id_seq')
