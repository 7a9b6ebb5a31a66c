"""What a report covers when the reader does not say: the practice's own latest data.

A practice opening a notebook wants its last complete month or week, not a fixed date, and a
practice whose data stops (a copy, a sample, a closed file) wants the last month it has, not an
empty one. So defaults count back from the practice's latest client session that had started
by ``now``, or from today when there is none.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from thera_analytics.reports.period import Period
from thera_analytics.reports.source import Source, instant, practice_zone, run


def latest_session_day(db: Source, now: datetime | str | None = None) -> date | None:
    """The local day of the latest client session started by ``now`` (None: there is none)."""
    value = run(db, "latest_session", [instant(now, "now")]).iloc[0]["latest"]
    if value is None or value != value:  # NULL comes back as None or NaT
        return None
    return value.date() if isinstance(value, datetime) else value


def anchor_day(db: Source, now: datetime | str | None = None) -> date:
    """The day default periods count back from: the latest session's day, else today."""
    moment = instant(now, "now")
    latest = latest_session_day(db, moment)
    return latest if latest is not None else _today(moment, practice_zone(db))


def last_complete_month(db: Source, now: datetime | str | None = None) -> Period:
    """The calendar month before the one holding the practice's latest session."""
    day = anchor_day(db, now)
    return Period.month(day.year, day.month).previous()


def last_complete_week(db: Source, now: datetime | str | None = None) -> Period:
    """The Monday-to-Sunday week before the one holding the practice's latest session."""
    return Period.week(anchor_day(db, now) - timedelta(weeks=1))


def last_complete_weeks(db: Source, weeks: int, now: datetime | str | None = None) -> Period:
    """``weeks`` whole weeks ending with ``last_complete_week``."""
    return Period.weeks_ending(last_complete_week(db, now).start, weeks)


def _today(moment: datetime, zone: ZoneInfo) -> date:
    return moment.astimezone(zone).date()
