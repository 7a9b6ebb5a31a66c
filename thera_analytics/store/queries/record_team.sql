-- The other clinicians taking part in one event.
SELECT clinician_id FROM event_team_members WHERE event_id = ? ORDER BY 1
