-- The reminders asked for on one event, sent or pending.
SELECT recipient_kind, client_id, third_party_id, channel, lead_minutes
FROM reminders
WHERE event_id = ? AND state <> 'cancelled'
ORDER BY id
