"""What every panel of the practice dashboard reads: the database, who looks, the week, and when.

One ``PracticeContext`` is shared by the panels of a page (or a notebook), so choosing a week or
reloading moves them all together. ``as_of`` is the instant the reports measure (the backlog's
ages, what has ended); it is set when the page opens and by "Reload", never silently, so the
figures on screen agree with each other.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import param

from thera_analytics.clock import Clock, system_clock
from thera_analytics.domain.actor import Actor, Role
from thera_analytics.domain.local_time import to_local, week_start
from thera_analytics.reports import Period, open_for_reading
from thera_analytics.reports.defaults import anchor_day
from thera_analytics.reports.location import locate_database
from thera_analytics.reports.source import instant
from thera_analytics.store.database import Database

DEFAULT_TREND_WEEKS = 8

READER = Actor(user_id=None, role=Role.MANAGER, display_name="Analyst (read-only)")
"""Who reads records in a notebook: every record, and nothing can be written through it."""


class PracticeContext(param.Parameterized):
    """The database, the reader, the week chosen and the instant measured."""

    db = param.ClassSelector(class_=Database, doc="The practice database (or its snapshot).")
    actor = param.ClassSelector(class_=Actor, doc="Who is looking (a manager).")
    clock = param.Callable(default=system_clock, doc="Where 'now' comes from.")
    week = param.CalendarDate(doc="The Monday of the week shown.")
    as_of = param.Date(doc="The instant the figures are measured at (aware, UTC).")
    trend_weeks = param.Integer(default=DEFAULT_TREND_WEEKS, bounds=(2, 52),
                                doc="Weeks of trend, ending with the chosen week.")

    def __init__(self, **params: object) -> None:
        super().__init__(**params)
        if self.as_of is None:
            self.as_of = self.clock()
        if self.week is None:
            self.week = week_start(self.today)
        elif self.week != week_start(self.week):
            self.week = week_start(self.week)

    @classmethod
    def open(cls, db_path: str | Path | None = None, *, as_of: datetime | str | None = None,
             week: date | str | None = None, clock: Clock = system_clock) -> PracticeContext:
        """For a notebook: open the file read-only (its snapshot while the server holds it).

        ``db_path`` may be relative to where the user started (see ``locate_database``);
        ``as_of`` is an instant (ISO text or aware datetime; None or ``"now"`` for now) and
        ``week`` any day of the week to show (None: the week of the practice's latest session
        by ``as_of``, so a practice whose data stops still opens on a week it has).
        """
        db = open_for_reading(locate_database(db_path))
        moment = None if as_of is None or as_of == "now" else instant(as_of)
        day = date.fromisoformat(week) if isinstance(week, str) else week
        if day is None:
            day = anchor_day(db, moment or clock())
        return cls(db=db, actor=READER, clock=clock, as_of=moment, week=day)

    @property
    def zone(self) -> ZoneInfo:
        return self.db.zone

    @property
    def today(self) -> date:
        """The practice's local date at ``as_of``."""
        return to_local(self.as_of or self.clock(), self.zone).date()

    @property
    def week_period(self) -> Period:
        return Period.week(self.week)

    @property
    def trend_period(self) -> Period:
        return Period.weeks_ending(self.week, self.trend_weeks)

    def reload(self) -> None:
        """Measure again, now."""
        self.as_of = self.clock()

    def go_to(self, day: date) -> None:
        self.week = week_start(day)

    def shift(self, weeks: int) -> None:
        self.week = week_start(self.week) + timedelta(weeks=weeks)

    @param.depends("week", watch=True)
    def _monday(self) -> None:
        if self.week is not None and self.week != week_start(self.week):
            self.week = week_start(self.week)
