"""The one polling wait the tests share answers as soon as its question does, and fails
naming what it waited for."""

from __future__ import annotations

import threading

import pytest

from tests.helpers.waiting import wait_until


def test_it_returns_the_first_truthy_answer() -> None:
    answers = iter([None, 0, "", "ready"])
    assert wait_until(lambda: next(answers), "the answer", interval=0) == "ready"


def test_it_returns_once_another_thread_makes_it_true() -> None:
    done = threading.Event()
    threading.Thread(target=done.set).start()
    assert wait_until(done.is_set, "the thread", timeout=30)


def test_it_fails_naming_what_it_waited_for() -> None:
    with pytest.raises(AssertionError, match="waited 0 s for the snapshot to be written"):
        wait_until(lambda: False, "the snapshot to be written", timeout=0)


def test_a_reason_to_give_up_fails_at_once() -> None:
    with pytest.raises(AssertionError, match="waiting for the server: it exited with 1"):
        wait_until(lambda: False, "the server", timeout=3600,
                   gave_up=lambda: "it exited with 1")
