"""A background thread inside ``thera serve`` that does one job every so often, per database.

The reminder dispatcher (``reminder_task``) and the analyst snapshot (``snapshots``) both run
this way: a daemon thread calls ``run_once`` now and then every ``interval`` seconds until it is
stopped or the database is closed under it. A thread, not a Panel periodic callback, so slow
work (network, disk) never holds the server's event loop. At most one task of a kind runs per
database; starting another stops the previous one.
"""

from __future__ import annotations

import logging
import threading
from abc import ABC, abstractmethod
from typing import Any, Generic, Self, TypeVar

import duckdb

from thera_analytics.store.database import Database


class PeriodicTask(ABC):
    """Calls ``run_once`` every ``interval`` seconds on a daemon thread until stopped (or closed).

    Subclasses implement ``run_once`` and set ``stop_timeout`` (how long ``stop`` waits for the
    pass in progress by default).
    """

    stop_timeout: float = 10.0

    def __init__(self, interval: float, *, thread_name: str, log: logging.Logger,
                 closed_message: str, failed_message: str) -> None:
        """``closed_message`` is logged when the database closes; ``failed_message`` (with a
        ``%.0f`` for the seconds until the next try) when a pass raises anything else."""
        self.interval = float(interval)
        self._log = log
        self._closed_message = closed_message
        self._failed_message = failed_message
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=thread_name, daemon=True)

    @abstractmethod
    def run_once(self) -> Any:
        """One pass now (also what the thread does every interval)."""

    def start(self) -> Self:
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.run_once()
            except duckdb.ConnectionException:
                self._log.info("%s", self._closed_message)
                return
            except Exception:  # one bad pass must not end the task for the whole server
                self._log.exception(self._failed_message, self.interval)
            self._stop.wait(self.interval)

    def stop(self, timeout: float | None = None) -> None:
        """Stop after the pass in progress, if any (waiting ``stop_timeout`` s by default)."""
        self._stop.set()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(self.stop_timeout if timeout is None else timeout)

    @property
    def running(self) -> bool:
        return self._thread.is_alive()


T = TypeVar("T", bound=PeriodicTask)


class PerDatabase(Generic[T]):
    """The one running task of a kind for each open database in this process."""

    def __init__(self) -> None:
        self._tasks: dict[int, T] = {}
        self._lock = threading.Lock()

    def start(self, db: Database, task: T) -> T:
        """Start ``task`` for ``db``, stopping the one it replaces; returns ``task``."""
        with self._lock:
            previous = self._tasks.pop(id(db), None)
            self._tasks[id(db)] = task
        if previous is not None:
            previous.stop()
        task.start()
        return task

    def stop(self, db: Database, timeout: float | None = None) -> None:
        """Stop the task started for ``db``, if any (before the database is closed)."""
        with self._lock:
            task = self._tasks.pop(id(db), None)
        if task is not None:
            task.stop(timeout)

    def get(self, db: Database) -> T | None:
        """The task running for ``db``, if any."""
        with self._lock:
            return self._tasks.get(id(db))
