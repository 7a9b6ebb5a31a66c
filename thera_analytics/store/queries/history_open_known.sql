-- A version whose every column the use case already holds (a plan saved, a note signed:
-- store.history.record_known), written without reading the rows back.
-- Parameters: the columns of history_columns.sql, in order.
INSERT INTO event_history ({history_columns})
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
