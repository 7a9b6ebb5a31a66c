"""Reading what a child process says, line by line, to wait for the line that announces
something (the port it bound, that it is ready) instead of asking again and again.

A thread reads the pipe to its end, so the child never blocks on a full pipe, and keeps the
lines for a failure message.
"""

from __future__ import annotations

import re
import threading
import time
from typing import IO


class Lines:
    """The lines of ``pipe`` (a text pipe of a child process), read on a daemon thread."""

    def __init__(self, pipe: IO[str], name: str) -> None:
        self.name = name
        self._lines: list[str] = []
        self._ended = False
        self._changed = threading.Condition()
        self._thread = threading.Thread(target=self._read, args=(pipe,), daemon=True,
                                        name=f"lines of {name}")
        self._thread.start()

    def _read(self, pipe: IO[str]) -> None:
        try:
            for line in pipe:
                with self._changed:
                    self._lines.append(line)
                    self._changed.notify_all()
        finally:
            with self._changed:
                self._ended = True
                self._changed.notify_all()

    def wait_for(self, pattern: str, timeout: float = 90.0) -> re.Match[str]:
        """The first match of ``pattern`` in a line: waits until the line is written, and
        fails at once if the pipe ends first (the child exited) or after ``timeout`` seconds."""
        compiled = re.compile(pattern)
        deadline = time.monotonic() + timeout
        seen = 0
        with self._changed:
            while True:
                for line in self._lines[seen:]:
                    if found := compiled.search(line):
                        return found
                seen = len(self._lines)
                if self._ended:
                    raise RuntimeError(f"{self.name} ended without saying {pattern!r}:\n"
                                       + "".join(self._lines)[-2000:])
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"{self.name} did not say {pattern!r} within "
                                       f"{timeout:g} s:\n" + "".join(self._lines)[-2000:])
                self._changed.wait(left)
