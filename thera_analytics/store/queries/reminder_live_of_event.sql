-- One event's reminders not cancelled, with their recipient and state.
SELECT id, recipient_kind, COALESCE(client_id, third_party_id), channel, lead_minutes, state,
       due_at
FROM reminders
WHERE event_id = ? AND state <> 'cancelled'
