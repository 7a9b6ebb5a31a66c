"""A clinician's own calendar as an .ics file, from the scheduler (as clients have in the portal).

The file is ``ical.clinician_calendar``: the clinician's live events, owned or as a team member,
from the Monday of the current week on, with no plan, note or homework text in it.
"""

from __future__ import annotations

import io
import re
from datetime import datetime, time

import panel as pn
import param

from thera_analytics.domain.actor import Actor
from thera_analytics.domain.local_time import to_local, week_start
from thera_analytics.practice import Practice
from thera_analytics.service import ical

LABEL = "Download my calendar (.ics)"


def calendar_filename(name: str) -> str:
    """``alice-nguyen-calendar.ics`` for Alice Nguyen."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return f"{slug or 'my'}-calendar.ics"


class CalendarDownload(pn.viewable.Viewer):
    """The signed-in clinician's events from this week on, as iCalendar."""

    practice = param.ClassSelector(class_=Practice)
    actor = param.ClassSelector(class_=Actor)

    def __init__(self, **params: object) -> None:
        super().__init__(**params)
        self.button = pn.widgets.FileDownload(
            callback=self.calendar_file, filename=calendar_filename(self.actor.display_name),
            label=LABEL, color="light", embed=False, width=240, margin=(5, 10),
            visible=self.actor.is_clinician and self.actor.clinician_id is not None,
            description="Your events from this week on, for a calendar application",
            css_classes=["thera-calendar-download"])

    def export_start(self) -> datetime:
        """Monday 00:00 of the current week, in the practice's zone."""
        zone = self.practice.db.zone
        today = to_local(self.practice.now(), zone).date()
        return datetime.combine(week_start(today), time(0), tzinfo=zone)

    def calendar_file(self) -> io.BytesIO:
        """The .ics bytes, read when the button is pressed."""
        assert self.actor.clinician_id is not None
        data = ical.clinician_calendar(self.practice.db, self.actor, self.actor.clinician_id,
                                       self.practice.now(), start=self.export_start())
        return io.BytesIO(data)

    def __panel__(self) -> pn.viewable.Viewable:
        return self.button
