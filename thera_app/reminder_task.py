"""The reminder dispatcher inside ``thera serve``: a background thread sending what is due.

A thread (``thera_app.periodic``), not a Panel periodic callback: sending email blocks on the
network, and the server's event loop must stay free for the apps. The thread has its own DuckDB
cursor (``Database`` hands out one per thread), and claims each reminder in a transaction, so it
and the apps can change the reminders table side by side.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from thera_analytics.clock import Clock
from thera_analytics.domain.details import Channel
from thera_analytics.domain.errors import PracticeError
from thera_analytics.service.notifications import Sender, senders_from_env
from thera_analytics.service.reminders import DispatchResult, dispatch_due
from thera_analytics.store.database import Database
from thera_app.periodic import PerDatabase, PeriodicTask

log = logging.getLogger(__name__)

DEFAULT_INTERVAL = 60.0


class ReminderLoop(PeriodicTask):
    """Calls ``dispatch_due`` every ``interval_seconds`` until stopped (or the file closes).

    ``stop`` waits for the current pass: a send in progress is finished and recorded.
    """

    stop_timeout = 10.0

    def __init__(self, db: Database, clock: Clock, interval_seconds: float,
                 senders: Mapping[Channel, Sender]) -> None:
        super().__init__(interval_seconds, thread_name="thera-reminders", log=log,
                         closed_message="reminder loop stopped: the database was closed",
                         failed_message="reminder dispatch failed; trying again in %.0f s")
        self.db = db
        self.clock = clock
        self.senders = senders
        self.last: DispatchResult | None = None

    def run_once(self) -> DispatchResult:
        """One pass now (also what the thread does every interval)."""
        self.last = dispatch_due(self.db, self.clock(), self.senders)
        if any((self.last.sent, self.last.retry, self.last.failed, self.last.unknown)):
            log.info("%s", self.last)
        return self.last


_loops: PerDatabase[ReminderLoop] = PerDatabase()


def start_reminder_loop(db: Database, clock: Clock, interval_seconds: float = DEFAULT_INTERVAL,
                        *, senders: Mapping[Channel, Sender] | None = None) -> ReminderLoop:
    """Start dispatching reminders for ``db`` in the background; returns the running loop.

    Email goes through the THERA_SMTP_* settings; without THERA_SMTP_HOST (or with a bad
    setting, which is logged) only browser reminders are delivered and email stays queued.
    """
    if senders is None:
        try:
            senders = senders_from_env(clock=clock)
        except PracticeError as exc:
            log.error("email reminders are off: %s", exc)
            senders = {}
        if Channel.EMAIL not in senders:
            log.warning("THERA_SMTP_HOST is not set: email reminders will wait in the queue "
                        "until a mail server is set; browser reminders are delivered")
    return _loops.start(db, ReminderLoop(db, clock, interval_seconds, senders))


def stop_reminder_loop(db: Database, timeout: float = 10.0) -> None:
    """Stop the loop started for ``db`` (before the database is closed)."""
    _loops.stop(db, timeout)
