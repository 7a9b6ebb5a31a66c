"""The reminder queue and its dispatcher: send what is due, once, and record every attempt.

Exactly-once, as far as a mail server allows. Each email reminder goes through three steps:

1. **claim** (one transaction): re-check the reminder is still wanted, set ``claimed_at`` and
   count the attempt;
2. **send** (outside any transaction): hand the message to the mail server;
3. **record** (one transaction): ``sent`` (or a retry time, or ``failed``), clear the claim, and
   write the audit row.

A restart can only happen between two of these. Before 1 nothing was sent; after 3 everything is
recorded. Between 1 and 3 the message may or may not have reached the server, and the dispatcher
cannot tell. We chose **at most once** for that window: a claim left behind is never sent again,
it is resolved as ``failed`` with "delivery unknown" in ``last_error`` and an audit row, for a
person to follow up. A duplicate reminder is never sent; the price is that a crash in the
milliseconds between an accepted message and its record marks that one reminder "unknown".
Claims are taken one reminder at a time, so at most one reminder can be caught this way.

Browser reminders need no step 2: the portal notification is written in the same transaction
that marks the reminder sent (and ``notifications.reminder_id`` is unique), so they are exactly
once without any window.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

import pandas as pd

from thera_analytics.domain.details import Channel, RecipientKind
from thera_analytics.domain.errors import PracticeError
from thera_analytics.service import audit
from thera_analytics.service.notifications import (
    DeliveryRefused,
    ReminderFacts,
    ReminderMessage,
    Sender,
    compose,
    write_portal_notification,
)
from thera_analytics.store import reminders as stored
from thera_analytics.store.database import Cursor, Database, WriteConflict

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
FIRST_RETRY = timedelta(minutes=1)
LONGEST_WAIT = timedelta(hours=1)
# A reminder is still worth sending a little after the session starts (a video link), not later.
SEND_UNTIL_AFTER_START = timedelta(minutes=15)
# Longer than any send can take (the SMTP timeout is 20 s): an older claim was abandoned.
CLAIM_TIMEOUT = timedelta(minutes=10)
MAX_ERROR = 500
RECORD_TRIES = 5
# Attendance marked before the session that means the client will not be there.
_NOT_COMING = ("cancelled", "late_cancellation")


class Outcome(StrEnum):
    """What one dispatch did with one reminder."""

    SENT = "sent"
    RETRY = "retry"  # a failed attempt; tried again after a back-off
    FAILED = "failed"  # given up: too many attempts, expired, or refused for good
    CANCELLED = "cancelled"  # no longer wanted (event cancelled, client cancelled, duplicate)
    SKIPPED = "skipped"  # no sender configured for the channel; left pending
    UNKNOWN = "unknown"  # a claim abandoned mid-send; recorded as failed, never re-sent


@dataclass(frozen=True)
class DispatchResult:
    """Reminder ids by what happened to them in one ``dispatch_due`` run."""

    sent: tuple[int, ...] = ()
    retry: tuple[int, ...] = ()
    failed: tuple[int, ...] = ()
    cancelled: tuple[int, ...] = ()
    skipped: tuple[int, ...] = ()
    unknown: tuple[int, ...] = ()

    def __str__(self) -> str:
        parts = [f"{len(getattr(self, o.value))} {o.value}" for o in Outcome]
        return "reminders: " + ", ".join(parts)


@dataclass
class _Tally:
    ids: dict[Outcome, list[int]] = field(default_factory=lambda: {o: [] for o in Outcome})

    def add(self, outcome: Outcome, reminder_id: int) -> None:
        self.ids[outcome].append(reminder_id)

    def result(self) -> DispatchResult:
        return DispatchResult(**{o.value: tuple(v) for o, v in self.ids.items()})


def retry_delay(attempts: int, first: timedelta = FIRST_RETRY,
                longest: timedelta = LONGEST_WAIT) -> timedelta:
    """Exponential back-off after ``attempts`` failed attempts: 1, 2, 4, 8 ... minutes."""
    return min(first * (2 ** max(attempts - 1, 0)), longest)


# -- the rule: is this reminder still to be sent? ----------------------------------------------
@dataclass(frozen=True)
class _Row:
    facts: ReminderFacts
    state: str
    claimed: bool
    attempts: int
    cancelled_event: bool
    client_booked: bool
    client_attendance: str | None
    third_party_invited: bool


def _still_wanted(row: _Row, now: datetime) -> tuple[Outcome, str] | None:
    """Why a pending reminder must not be sent now (outcome, reason), or None to send it."""
    facts = row.facts
    if row.cancelled_event:
        return Outcome.CANCELLED, "the event was cancelled"
    if facts.recipient_kind is RecipientKind.CLIENT:
        if not row.client_booked:
            return Outcome.CANCELLED, "the client is no longer in this session"
        if row.client_attendance in _NOT_COMING:
            return Outcome.CANCELLED, "the client cancelled this session"
    elif not row.third_party_invited:
        return Outcome.CANCELLED, "the third party is no longer invited"
    if now > facts.start + SEND_UNTIL_AFTER_START:
        return Outcome.FAILED, "expired: the session had started before it could be sent"
    if facts.channel is Channel.EMAIL and not facts.recipient_email:
        kind = "client" if facts.recipient_kind is RecipientKind.CLIENT else "third party"
        return Outcome.FAILED, f"the {kind} has no email address"
    return None


def _load(cur: Cursor, reminder_id: int) -> _Row | None:
    r = stored.facts(cur, reminder_id)
    if r is None:
        return None
    kind = RecipientKind(r["recipient_kind"])
    facts = ReminderFacts(
        reminder_id=int(r["id"]), event_id=int(r["event_id"]), channel=Channel(r["channel"]),
        recipient_kind=kind,
        recipient_id=int(r["client_id"] if kind is RecipientKind.CLIENT else r["third_party_id"]),
        recipient_name=r["recipient_name"] or "", recipient_email=r["recipient_email"],
        kind_label=r["kind_label"], clinician_name=r["clinician_name"], start=r["starts_at"],
        end=r["ends_at"], video_link=r["video_link"], practice_name=r["practice_name"],
    )
    return _Row(facts=facts, state=r["state"], claimed=r["claimed_at"] is not None,
                attempts=int(r["attempts"]), cancelled_event=r["cancelled_at"] is not None,
                client_booked=bool(r["client_booked"]), client_attendance=r["client_attendance"],
                third_party_invited=bool(r["third_party_invited"]))


def _audit_view(facts: ReminderFacts, **extra: object) -> dict[str, object]:
    return {"event_id": facts.event_id, "channel": facts.channel.value,
            "recipient_kind": facts.recipient_kind.value, "recipient_id": facts.recipient_id,
            **extra}


def _close(cur: Cursor, now: datetime, row: _Row, outcome: Outcome, reason: str) -> None:
    """Settle a reminder without sending it (cancelled or failed), with its audit row."""
    state = "cancelled" if outcome is Outcome.CANCELLED else "failed"
    stored.settle(cur, row.facts.reminder_id, state, reason)
    audit.record(cur, None, now, f"reminder_{outcome.value}", "reminder", row.facts.reminder_id,
                 {"state": row.state}, _audit_view(row.facts, state=state, reason=reason))


# -- the dispatcher ---------------------------------------------------------------------------
def dispatch_due(db: Database, now: datetime, senders: Mapping[Channel, Sender], *,
                 batch: int = 100, max_attempts: int = MAX_ATTEMPTS) -> DispatchResult:
    """Send the reminders due at ``now`` (at most ``batch``), each at most once; see the module.

    ``senders`` maps a channel to its sender (``notifications.senders_from_env()``); browser
    reminders need none. Email reminders without a sender stay pending and are reported as
    skipped.
    """
    tally = _Tally()
    for reminder_id in resolve_abandoned(db, now):
        tally.add(Outcome.UNKNOWN, reminder_id)
    cur = db.cursor()
    ready = [Channel.BROWSER.value] + [c.value for c in (Channel.EMAIL,) if c in senders]
    if len(ready) < len(Channel):
        # Reported, not picked: they must not fill the batch ahead of what can be sent.
        waiting = [c.value for c in Channel if c.value not in ready]
        for reminder_id, _ in stored.due(cur, now, waiting, batch):
            tally.add(Outcome.SKIPPED, reminder_id)
    for reminder_id, channel_name in stored.due(cur, now, ready, batch):
        channel = Channel(channel_name)
        sender = senders.get(channel)
        try:
            if channel is Channel.BROWSER:
                outcome = _deliver_to_portal(db, reminder_id, now)
            else:
                assert sender is not None
                outcome = _send_email(db, reminder_id, now, sender, max_attempts)
        except WriteConflict:
            # Someone changed the reminder (e.g. rescheduled the event) at this moment: an
            # unclaimed one is taken by the next run, a claimed one is settled as unknown.
            log.warning("reminder %s changed while dispatching", reminder_id)
            continue
        if outcome is not None:
            tally.add(outcome, reminder_id)
    return tally.result()


def _deliver_to_portal(db: Database, reminder_id: int, now: datetime) -> Outcome | None:
    with db.transaction() as cur:
        row = _load(cur, reminder_id)
        if row is None or row.state != "pending" or row.claimed:
            return None
        refusal = _refusal(cur, row, now)
        if refusal is not None:
            _close(cur, now, row, *refusal)
            return refusal[0]
        message = compose(row.facts, db.zone)
        notification_id = write_portal_notification(cur, message, now)
        stored.sent_now(cur, reminder_id, now)
        audit.record(cur, None, now, "reminder_sent", "reminder", reminder_id,
                     {"state": "pending"},
                     _audit_view(row.facts, state="sent", notification_id=notification_id))
    return Outcome.SENT


def _refusal(cur: Cursor, row: _Row, now: datetime) -> tuple[Outcome, str] | None:
    refusal = _still_wanted(row, now)
    if refusal is None:
        twin = stored.sent_twin(cur, row.facts.reminder_id)
        if twin is not None:
            refusal = Outcome.CANCELLED, f"duplicate of reminder {twin}, already sent"
    return refusal


def _claim(db: Database, reminder_id: int, now: datetime) -> ReminderMessage | Outcome | None:
    """Step 1: the message to send (claim taken), or what happened instead."""
    with db.transaction() as cur:
        row = _load(cur, reminder_id)
        if row is None or row.state != "pending" or row.claimed:
            return None
        refusal = _refusal(cur, row, now)
        if refusal is not None:
            _close(cur, now, row, *refusal)
            return refusal[0]
        if not stored.claim(db, cur, now, reminder_id):
            return None
        return compose(row.facts, db.zone)


def _send_email(db: Database, reminder_id: int, now: datetime, sender: Sender,
                max_attempts: int) -> Outcome | None:
    claimed = _claim(db, reminder_id, now)
    if not isinstance(claimed, ReminderMessage):
        return claimed
    facts = claimed.facts
    try:
        sender.send(claimed)  # step 2
    except Exception as exc:  # any send failure is recorded and retried, never raised
        error = f"{type(exc).__name__}: {exc}"[:MAX_ERROR]
        permanent = isinstance(exc, DeliveryRefused)
        return _recording(lambda: _record_failure(db, facts, now, error, permanent=permanent,
                                                  max_attempts=max_attempts))
    return _recording(lambda: _record_sent(db, claimed, now))  # step 3


def _recording(record: Callable[[], Outcome]) -> Outcome:
    """Step 3, retried when a concurrent change to the same row (a reschedule) conflicts:
    giving up here would leave the claim behind and turn a delivered reminder into "unknown"."""
    for attempt in range(RECORD_TRIES):
        try:
            return record()
        except WriteConflict:
            if attempt == RECORD_TRIES - 1:
                raise
            time.sleep(0.05 * (attempt + 1))
    raise AssertionError("unreachable")


def _record_sent(db: Database, message: ReminderMessage, now: datetime) -> Outcome:
    facts = message.facts
    with db.transaction() as cur:
        stored.sent_claimed(cur, facts.reminder_id, now)
        audit.record(cur, None, now, "reminder_sent", "reminder", facts.reminder_id,
                     {"state": "pending"},
                     _audit_view(facts, state="sent", to=facts.recipient_email,
                                 subject=message.subject))
    return Outcome.SENT


def _record_failure(db: Database, facts: ReminderFacts, now: datetime, error: str, *,
                    permanent: bool, max_attempts: int) -> Outcome:
    with db.transaction() as cur:
        got = stored.attempts(cur, facts.reminder_id)
        attempts = got if got is not None else max_attempts
        if permanent or attempts >= max_attempts:
            outcome, state, retry_at = Outcome.FAILED, "failed", None
        else:
            outcome, state, retry_at = Outcome.RETRY, "pending", now + retry_delay(attempts)
        stored.after_failure(cur, facts.reminder_id, state, error, retry_at)
        audit.record(cur, None, now, f"reminder_{outcome.value}", "reminder", facts.reminder_id,
                     {"state": "pending"},
                     _audit_view(facts, state=state, attempts=attempts, error=error,
                                 next_attempt_at=retry_at))
    return outcome


def resolve_abandoned(db: Database, now: datetime,
                      claim_timeout: timedelta = CLAIM_TIMEOUT) -> list[int]:
    """Settle claims older than ``claim_timeout`` as failed, "delivery unknown"; never re-send."""
    cutoff = now - claim_timeout
    settled = []
    with db.transaction() as cur:
        for reminder_id, claimed_at, attempts in stored.abandoned(cur, cutoff):
            error = (f"delivery unknown: the dispatcher stopped while sending (claimed at "
                     f"{claimed_at:%Y-%m-%d %H:%M:%S} UTC); not sent again so that nobody gets "
                     "it twice")
            stored.settle(cur, int(reminder_id), "failed", error)
            audit.record(cur, None, now, "reminder_unknown", "reminder", int(reminder_id),
                         {"state": "pending", "claimed_at": claimed_at},
                         {"state": "failed", "attempts": int(attempts), "error": error})
            settled.append(int(reminder_id))
    return settled


# -- queue views ------------------------------------------------------------------------------
def queue(db: Database, *, state: str | None = None, event_id: int | None = None) -> pd.DataFrame:
    """The reminder queue (newest due first), optionally one state or one event's reminders."""
    if state is not None and state not in ("pending", "sent", "failed", "cancelled"):
        raise PracticeError(f"state: {state!r} is not pending, sent, failed or cancelled")
    return stored.queue(db, state, event_id)


def pending_count(db: Database, now: datetime) -> int:
    """How many reminders are due and waiting at ``now``."""
    return stored.pending_count(db.cursor(), now)
