"""Waiting for something to happen where nothing announces it.

Prefer the event itself: Playwright's ``expect`` and ``wait_for_function``, a
``threading.Event``, a line a process writes. Where there is none (a file appearing, a port
closing, a background loop's next run), ``wait_until`` asks the question again every
``interval`` seconds and fails with what it waited for; it measures time with the monotonic
clock, never the wall clock.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def wait_until(predicate: Callable[[], T], what: str, timeout: float = 30.0, *,
               interval: float = 0.05, gave_up: Callable[[], str | None] | None = None) -> T:
    """The first truthy answer of ``predicate``, asked until ``timeout`` seconds have passed.

    ``what`` names what was awaited in the failure (``"the snapshot to be written"``).
    ``gave_up``, when given, is asked too: a message from it (a process that exited, say) fails
    at once instead of waiting out the timeout.
    """
    deadline = time.monotonic() + timeout
    while True:
        answer = predicate()
        if answer:
            return answer
        if gave_up is not None and (reason := gave_up()):
            raise AssertionError(f"waiting for {what}: {reason}")
        if time.monotonic() >= deadline:
            raise AssertionError(f"waited {timeout:g} s for {what}, in vain")
        time.sleep(interval)
