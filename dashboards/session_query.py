"""The served page's address: whether we are in a browser session, and its query arguments.

Shared by the apps' route factories (``/scheduler?event=42&week=2026-11-16``, ``/practice``).
Outside a served session (tests, notebooks) there is no address and every reader gives None.
"""

from __future__ import annotations

from datetime import date

import panel as pn


def in_session() -> bool:
    """True inside a served browser session (``pn.state.served`` is only true for scripts run
    by ``panel serve``, not for apps served by ``pn.serve`` as ours are)."""
    doc = pn.state.curdoc
    return doc is not None and doc.session_context is not None


def query_int(name: str) -> int | None:
    """The address's ``name`` argument as a whole number, if it is one."""
    values = pn.state.session_args.get(name) if in_session() else None
    if not values:
        return None
    try:
        return int(values[0])
    except (TypeError, ValueError):
        return None


def query_date(name: str) -> date | None:
    """The address's ``name`` argument as a date (``YYYY-MM-DD``), if it is one."""
    values = pn.state.session_args.get(name) if in_session() else None
    if not values:
        return None
    try:
        return date.fromisoformat(values[0].decode() if isinstance(values[0], bytes)
                                  else values[0])
    except ValueError:
        return None
