-- A comment (addendum) on one event's record.
INSERT INTO comments VALUES (?, ?, ?, ?, ?)
