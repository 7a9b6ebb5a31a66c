-- One row of the append-only audit log.
INSERT INTO audit_log (id, logged_at, user_id, action, entity, entity_id, before, after)
VALUES (nextval('audit_id_seq'), ?, ?, ?, ?, ?, ?, ?)
