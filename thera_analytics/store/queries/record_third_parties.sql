-- The third parties (GP, school, ...) of one event.
SELECT third_party_id FROM event_third_parties WHERE event_id = ? ORDER BY 1
