"""The reminder dispatcher inside ``thera serve``: a background thread sending what is due.

A thread, not a Panel periodic callback: sending email blocks on the network, and the server's
event loop must stay free for the apps. The thread has its own DuckDB cursor (``Database``
hands out one per thread), and claims each reminder in a transaction, so it and the apps can
change the reminders table side by side.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping

import duckdb

from thera_analytics.clock import Clock
from thera_analytics.domain.details import Channel
from thera_analytics.domain.errors import PracticeError
from thera_analytics.service.notifications import Sender, senders_from_env
from thera_analytics.service.reminders import DispatchResult, dispatch_due
from thera_analytics.store.database import Database

log = logging.getLogger(__name__)

DEFAULT_INTERVAL = 60.0


class ReminderLoop:
    """Calls ``dispatch_due`` every ``interval_seconds`` until stopped (or the file closes)."""

    def __init__(self, db: Database, clock: Clock, interval_seconds: float,
                 senders: Mapping[Channel, Sender]) -> None:
        self.db = db
        self.clock = clock
        self.interval = float(interval_seconds)
        self.senders = senders
        self.last: DispatchResult | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="thera-reminders", daemon=True)

    def start(self) -> ReminderLoop:
        self._thread.start()
        return self

    def run_once(self) -> DispatchResult:
        """One pass now (also what the thread does every interval)."""
        self.last = dispatch_due(self.db, self.clock(), self.senders)
        if any((self.last.sent, self.last.retry, self.last.failed, self.last.unknown)):
            log.info("%s", self.last)
        return self.last

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.run_once()
            except duckdb.ConnectionException:
                log.info("reminder loop stopped: the database was closed")
                return
            except Exception:  # one bad pass must not end reminders for the whole server
                log.exception("reminder dispatch failed; trying again in %.0f s", self.interval)
            self._stop.wait(self.interval)

    def stop(self, timeout: float = 10.0) -> None:
        """Stop after the current pass (a send in progress is finished and recorded)."""
        self._stop.set()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(timeout)

    @property
    def running(self) -> bool:
        return self._thread.is_alive()


_loops: dict[int, ReminderLoop] = {}
_loops_lock = threading.Lock()


def start_reminder_loop(db: Database, clock: Clock, interval_seconds: float = DEFAULT_INTERVAL,
                        *, senders: Mapping[Channel, Sender] | None = None) -> ReminderLoop:
    """Start dispatching reminders for ``db`` in the background; returns the running loop.

    Email goes through the THERA_SMTP_* settings; without THERA_SMTP_HOST (or with a bad
    setting, which is logged) only browser reminders are delivered and email stays queued.
    """
    if senders is None:
        try:
            senders = senders_from_env()
        except PracticeError as exc:
            log.error("email reminders are off: %s", exc)
            senders = {}
        if Channel.EMAIL not in senders:
            log.warning("THERA_SMTP_HOST is not set: email reminders stay queued")
    loop = ReminderLoop(db, clock, interval_seconds, senders)
    with _loops_lock:
        previous = _loops.pop(id(db), None)
        _loops[id(db)] = loop
    if previous is not None:
        previous.stop()
    return loop.start()


def stop_reminder_loop(db: Database, timeout: float = 10.0) -> None:
    """Stop the loop started for ``db`` (before the database is closed)."""
    with _loops_lock:
        loop = _loops.pop(id(db), None)
    if loop is not None:
        loop.stop(timeout)
