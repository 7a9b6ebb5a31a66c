-- One event's team, removed before it is written again.
DELETE FROM event_team_members WHERE event_id = ?
