"""Waiting for the line a child process says: found as soon as it is written, and a child that
ends or stays silent fails with what it did say."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.helpers.output import Lines


def _child(code: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)


def test_the_announced_port_is_read_while_the_child_keeps_running() -> None:
    child = _child("print('starting', flush=True); print('Serving on http://127.0.0.1:4321/x',"
                   " flush=True); import sys; sys.stdin.read()")
    assert child.stdout is not None and child.stdin is not None
    try:
        found = Lines(child.stdout, "the child").wait_for(r"^Serving on http://[^/]+:(\d+)/")
        assert found[1] == "4321" and child.poll() is None
    finally:
        child.stdin.close()
        child.wait(30)


def test_a_child_that_ends_without_the_line_fails_at_once_with_what_it_said() -> None:
    child = _child("print('port taken', flush=True)")
    assert child.stdout is not None
    with pytest.raises(RuntimeError, match="(?s)the child ended without saying.*port taken"):
        Lines(child.stdout, "the child").wait_for("Serving on", timeout=60)
    child.wait(30)


def test_a_silent_child_fails_after_the_timeout() -> None:
    child = _child("print('still starting', flush=True); import sys; sys.stdin.read()")
    assert child.stdout is not None and child.stdin is not None
    try:
        with pytest.raises(TimeoutError, match="(?s)did not say 'Serving on' within 0.2 s"
                                               ".*still starting"):
            lines = Lines(child.stdout, "the child")
            lines.wait_for("still starting")
            lines.wait_for("Serving on", timeout=0.2)
    finally:
        child.stdin.close()
        child.wait(30)
