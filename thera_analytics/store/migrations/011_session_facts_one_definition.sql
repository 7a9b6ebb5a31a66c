-- The session_facts view and the report of the same name are one definition: the packaged
-- fragment queries/session_facts_rows.sql (store.sql inlines it). The view now reads the facts
-- kept on the rows (migration 005; the tests hold them equal to the rules) instead of working
-- out the dots and the first visit again, and gains the report's two columns at the end:
-- plan_saved_at and completed_at. Its other columns are unchanged.
CREATE OR REPLACE VIEW session_facts AS
{session_facts_rows};
