"""The append-only audit log: every change says who, when, what before and after."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from thera_analytics.domain.actor import Actor
from thera_analytics.store import audit as stored_audit
from thera_analytics.store.database import Cursor


def _default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if hasattr(value, "value"):
        return value.value
    if isinstance(value, set | tuple | frozenset):
        return sorted(value) if isinstance(value, set | frozenset) else list(value)
    return str(value)


def to_json(value: Any) -> str | None:
    return None if value is None else json.dumps(value, default=_default, sort_keys=True)


def record(
    cur: Cursor,
    actor: Actor | None,
    now: datetime,
    action: str,
    entity: str,
    entity_id: int | None,
    before: Any = None,
    after: Any = None,
) -> None:
    """Append one audit row inside the caller's transaction."""
    stored_audit.append(cur, now, actor.user_id if actor else None, action, entity, entity_id,
                        to_json(before), to_json(after))
