"""Record the previous value of a field changed within the 24-hour amendment window."""

from __future__ import annotations

from datetime import datetime

from thera_analytics.domain.actor import Actor
from thera_analytics.store import records as stored
from thera_analytics.store.database import Cursor


def record_amendment(cur: Cursor, actor: Actor, now: datetime, event_id: int, field: str,
                     previous: object, new: object, client_id: int | None = None) -> None:
    """Keep the previous value, who changed it and when."""
    stored.add_amendment(cur, event_id, field, client_id, _text(previous), _text(new), now,
                         actor.user_id)


def _text(value: object) -> str | None:
    if value is None:
        return None
    return str(getattr(value, "value", value))
