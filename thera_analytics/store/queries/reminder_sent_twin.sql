-- An already sent reminder identical to this one (same event, recipient, channel, lead time
-- and due time): re-saving an event's details re-queues its reminders, which must not send the
-- same reminder twice. Params: id (of the pending reminder), repeated.
SELECT MIN(twin.id)
FROM reminders twin
JOIN reminders r ON r.id = ?
WHERE twin.event_id = r.event_id
  AND twin.recipient_kind = r.recipient_kind
  AND COALESCE(twin.client_id, -1) = COALESCE(r.client_id, -1)
  AND COALESCE(twin.third_party_id, -1) = COALESCE(r.third_party_id, -1)
  AND twin.channel = r.channel
  AND twin.lead_minutes = r.lead_minutes
  AND twin.due_at = r.due_at
  AND twin.state = 'sent'
  AND twin.id <> ?
