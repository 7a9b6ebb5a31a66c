-- A third party of one event.
INSERT INTO event_third_parties VALUES (?, ?)
