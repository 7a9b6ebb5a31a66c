"""Making events in a test practice."""

from __future__ import annotations

from typing import Any

from tests.factories import TestPractice


def new_session(tp: TestPractice, **details: Any) -> tuple[int, int]:
    """A new event (Ann's direct session on Monday 1 June unless ``details`` say otherwise)
    and its version, ready for the next step."""
    event_id = tp.create(**details)
    return event_id, tp.version(event_id)
