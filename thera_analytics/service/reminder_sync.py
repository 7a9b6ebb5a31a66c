"""An event's reminders kept in step with its time and what was asked for."""

from __future__ import annotations

from datetime import datetime, timedelta

from thera_analytics.domain.details import ReminderRequest, reminder_due_at
from thera_analytics.store import reminders as stored
from thera_analytics.store.database import Cursor


def sync_reminders(cur: Cursor, event_id: int, start: datetime,
                   wanted: tuple[ReminderRequest, ...], now: datetime) -> None:
    """Make the event's reminders match ``wanted`` for a session starting at ``start``.

    Pending reminders move with the session; ones no longer wanted are cancelled (kept for the
    record). A reminder already sent for this very time is not queued again; one sent for an
    earlier time is queued afresh, so the recipient hears of the new time. A reminder whose
    time has passed is due at once while the session is still ahead; a new one asked for a
    session that has started is refused (``domain.details.reminder_due_at``).
    """
    keys = {(r.recipient_kind.value, r.recipient_id, r.channel.value, r.lead_minutes): r
            for r in wanted}
    covered = set()
    known = set()
    for rid, kind, recipient, channel, lead, state, due in stored.live_of_event(cur, event_id):
        key = (kind, recipient, channel, lead)
        known.add(key)
        due_now = start - timedelta(minutes=lead)
        if state == "pending":
            if key in keys and key not in covered:
                if due_now < now < start:
                    due_now = now
                if due != due_now:
                    stored.move(cur, rid, due_now)
                covered.add(key)
            else:
                stored.cancel(cur, rid)
        elif due_now <= due <= start:  # sent (or settled) for this time, maybe at once
            covered.add(key)
    for key, r in keys.items():
        if key in covered:
            continue
        if key in known and now >= start:
            continue  # sent for an earlier time of a session now past: nothing left to say
        stored.insert(cur, event_id, r, reminder_due_at(start, r.lead_minutes, now))
