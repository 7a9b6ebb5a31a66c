"""Session facts for analysts, now or as they stood at any past instant.

``session_facts_as_of(db, instant)`` is the ``session_facts`` view as the practice held it at
that instant (read from the event history, migration 008): a report run later on these rows
gives the figures it gave then.
"""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd

from thera_analytics.reports.period import Period
from thera_analytics.reports.source import Source, given, run


def session_facts(
    db: Source, start: date | str | None = None, end: date | str | None = None, *,
    as_of: datetime | str | None = None,
) -> pd.DataFrame:
    """One row per client per live client event (the ``session_facts`` columns, with
    ``plan_saved_at`` and ``completed_at``), optionally of the local days ``start``..``end``;
    with ``as_of``, as the database stood at that instant."""
    first = last = None
    if start is not None or end is not None:
        period = Period.coerce(start, end, default=Period(date.min, date.max))
        first = None if period.start == date.min else period.start
        last = None if period.end == date.max else period.end
    return run(db, "session_facts", [first, first, last, last], as_of=given(as_of),
               days=(first, last))


def session_facts_as_of(db: Source, as_of: datetime | str,
                        start: date | str | None = None,
                        end: date | str | None = None) -> pd.DataFrame:
    """``session_facts`` as the database stood at the instant ``as_of``."""
    return session_facts(db, start, end, as_of=as_of)
