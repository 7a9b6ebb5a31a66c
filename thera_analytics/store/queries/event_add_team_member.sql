-- A clinician taking part in one event.
INSERT INTO event_team_members VALUES (?, ?)
