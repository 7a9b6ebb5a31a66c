"""What a calendar or a panel reports the user did, for the app to act on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(eq=False)
class OpenEvent:
    """The user clicked an event."""

    event_id: int


@dataclass(eq=False)
class NewEvent:
    """The user clicked an empty slot: book something starting then (wall-clock time)."""

    start: datetime


@dataclass(eq=False)
class MoveEvent:
    """The user dragged an event (or its end) to a new time; answer with ``answer_move``."""

    event_id: int
    version: int
    start: datetime
    end: datetime
    request_id: str


@dataclass(eq=False)
class CloseEditor:
    """The user pressed Escape."""
