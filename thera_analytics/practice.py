"""One object for callers (app, CLI, notebooks): a practice database plus a clock.

Each method is one use case in one transaction; the rules underneath are the same for every
caller, so the app, the CLI and a notebook all obey the 24-hour rule alike.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path

import pandas as pd

from thera_analytics.clock import Clock, system_clock
from thera_analytics.domain.actor import Actor
from thera_analytics.domain.attendance import Attendance, SessionStatus
from thera_analytics.domain.cancellation import CancellationReason
from thera_analytics.domain.details import EventDetails
from thera_analytics.domain.outcome_change import OutcomeChange
from thera_analytics.domain.record import EventRecord
from thera_analytics.domain.recurrence import Recurrence
from thera_analytics.service import (
    accounts,
    calendar,
    cancellations,
    outcomes,
    planning,
    records,
    scheduling,
)
from thera_analytics.service.planning import PlanPrefill
from thera_analytics.service.scheduling import Scope
from thera_analytics.store.database import Database


class Practice:
    """A practice database with an injectable clock."""

    def __init__(self, db: Database, clock: Clock = system_clock) -> None:
        self.db = db
        self.clock = clock

    @classmethod
    def open(cls, path: str | Path, clock: Clock = system_clock) -> Practice:
        return cls(Database(path), clock)

    def now(self) -> datetime:
        return self.clock()

    # -- reading ----------------------------------------------------------------------------
    def event(self, actor: Actor, event_id: int) -> EventRecord:
        """One event's whole record, if the actor may read it."""
        return records.load(self.db.cursor(), event_id, actor)

    def week(self, actor: Actor, week: date, clinician_id: int | None = None) -> pd.DataFrame:
        return calendar.week_for(self.db, actor, week, clinician_id)

    def plan_prefill(self, actor: Actor, event_id: int) -> PlanPrefill:
        cur = self.db.cursor()
        return planning.prefill(cur, records.load(cur, event_id, actor))

    def login(self, username: str, password: str) -> Actor | None:
        return accounts.authenticate(self.db, username, password)

    # -- step 1 -----------------------------------------------------------------------------
    def create_event(self, actor: Actor, details: EventDetails, *,
                     repeat: Recurrence | None = None, allow_overlap: bool = False) -> list[int]:
        return scheduling.create_event(self.db, actor, details, self.now(), repeat=repeat,
                                       allow_overlap=allow_overlap)

    def update_details(self, actor: Actor, event_id: int, version: int, details: EventDetails,
                       *, allow_overlap: bool = False) -> int:
        return scheduling.update_details(self.db, actor, event_id, version, details, self.now(),
                                         allow_overlap=allow_overlap)

    def reschedule(self, actor: Actor, event_id: int, version: int, start: datetime,
                   end: datetime, *, scope: Scope | str = Scope.THIS,
                   allow_overlap: bool = False) -> list[int]:
        return scheduling.reschedule(self.db, actor, event_id, version, start, end, self.now(),
                                     scope=scope, allow_overlap=allow_overlap)

    def cancel(self, actor: Actor, event_id: int, version: int, *,
               scope: Scope | str = Scope.THIS,
               reason: CancellationReason | str | tuple[str, str] | None = None) -> list[int]:
        """Cancel an event; a client event needs a ``reason`` code (or ``(code, text)``)."""
        return scheduling.cancel(self.db, actor, event_id, version, self.now(), scope=scope,
                                 reason=reason)

    # -- step 2 -----------------------------------------------------------------------------
    def save_plan(self, actor: Actor, event_id: int, version: int, plan_text: str, *,
                  previous_homework: str | None = None,
                  previous_note: str | None = None) -> int:
        return planning.save_plan(self.db, actor, event_id, version, plan_text, self.now(),
                                  previous_homework=previous_homework,
                                  previous_note=previous_note)

    # -- step 3 -----------------------------------------------------------------------------
    def save_outcome(self, actor: Actor, event_id: int, version: int,
                     change: OutcomeChange) -> int:
        """Save what ``change`` changes on step 3 (``OutcomeChange.of(note=..., ...)`` from
        raw values)."""
        return outcomes.save_outcome(self.db, actor, event_id, version, self.now(), change)

    def record_attendance(
        self, actor: Actor, event_id: int, version: int,
        attendance: Mapping[int, Attendance | str | None],
        reasons: Mapping[int, CancellationReason | str | tuple[str, str] | None] | None = None,
    ) -> int:
        change = OutcomeChange.of(attendance=attendance, reasons=reasons)
        return outcomes.save_outcome(self.db, actor, event_id, version, self.now(), change)

    def record_status(self, actor: Actor, event_id: int, version: int,
                      status: SessionStatus | str) -> int:
        return outcomes.save_outcome(self.db, actor, event_id, version, self.now(),
                                     OutcomeChange.of(status=status))

    def sign(self, actor: Actor, event_id: int, version: int) -> int:
        return outcomes.sign(self.db, actor, event_id, version, self.now())

    def save_and_sign(self, actor: Actor, event_id: int, version: int,
                      change: OutcomeChange) -> int:
        """Save ``change`` and sign the note in one transaction: a refused signature saves
        nothing."""
        return outcomes.save_and_sign(self.db, actor, event_id, version, self.now(), change)

    def add_comment(self, actor: Actor, event_id: int, body: str) -> int:
        return outcomes.add_comment(self.db, actor, event_id, body, self.now())

    # -- cancellation reasons -----------------------------------------------------------------
    def cancellation_reasons(self, *, include_retired: bool = True) -> pd.DataFrame:
        return cancellations.reason_list(self.db, include_retired=include_retired)

    def add_cancellation_reason(self, actor: Actor, label: str, *,
                                needs_text: bool = False) -> str:
        return cancellations.add_reason(self.db, actor, label, self.now(), needs_text=needs_text)

    def retire_cancellation_reason(self, actor: Actor, code: str) -> None:
        cancellations.retire_reason(self.db, actor, code, self.now())
