"""The clinician's week as data for the HTML calendar: one plain dict per event, no plotting.

Each event carries what the calendar draws (colours from the palette, the three dots, one mark
per client) and what a screen reader says ("Video session, Chloe Martin, Monday 9 November,
10:00 to 10:50, details saved, plan saved, outcome to do"). Times are wall-clock times in the
practice's zone, without an offset: the calendar runs in floating time, so what it shows and what
it sends back are the practice's own clock times, whatever the browser's zone.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pandas as pd

from dashboards.shared.labels import ATTENDANCE_LETTER, STATUS_LETTER, done_text
from thera_analytics.domain import palette
from thera_analytics.domain.attendance import Attendance, SessionStatus
from thera_analytics.domain.palette import ColourFamily

DOT_NAMES = ("details", "plan", "outcome")


def wall_clock(value: datetime) -> str:
    """A wall-clock time as the calendar takes it: ISO without an offset."""
    return value.replace(tzinfo=None).isoformat(timespec="minutes")


def parse_wall_clock(text: str) -> datetime:
    """A time the calendar sent back (floating, maybe with a ``Z``) as a naive wall-clock time."""
    return datetime.fromisoformat(text.replace("Z", "+00:00")).replace(tzinfo=None)


def _marks(row: Any, names: list[str]) -> list[dict[str, str]]:
    if row.direct:
        values = [None if a == "-" else a for a in str(row.attendance).split(",")] \
            if row.attendance else []
        marks = []
        for name, value in zip(names, values, strict=False):
            if value is None:
                marks.append({"letter": "?", "colour": "#ffffff", "text": f"{name}: not marked"})
                continue
            att = Attendance(value)
            marks.append({"letter": ATTENDANCE_LETTER[att], "colour": att.colour,
                          "text": f"{name}: {att.label}"})
        return marks
    if isinstance(row.status, str) and row.status:
        status = SessionStatus(row.status)
        return [{"letter": STATUS_LETTER[status], "colour": status.colour,
                 "text": f"Status: {status.label}"}]
    return [{"letter": "?", "colour": "#ffffff", "text": "Status: not marked"}]


def event_item(row: Any) -> dict[str, Any]:
    """One row of ``Practice.week`` as the calendar's event."""
    family = ColourFamily(row.colour_family)
    is_client = row.event_group == "client"
    start = pd.Timestamp(row.local_start).to_pydatetime()
    end = start + timedelta(minutes=int(row.duration_minutes))
    names = [n for n in str(row.client_names or "").split(", ") if n] if is_client else []
    who = ", ".join(names) if is_client else (row.title or "")
    dots = (bool(row.dot_details), bool(row.dot_plan), bool(row.dot_outcome))
    marks = _marks(row, names) if is_client else []
    when = f"{start:%A %-d %B}, {start:%H:%M} to {end:%H:%M}"
    parts = [row.kind_label]
    if is_client:
        parts.append("direct" if row.direct else "indirect")
    if who:
        parts.append(who)
    parts.append(when)
    if is_client:
        parts.append(done_text(dots))
        parts.extend(m["text"] for m in marks if not m["text"].endswith("not marked"))
    signed = getattr(row, "signed_at", None)
    return {
        "id": str(int(row.event_id)),
        "title": row.kind_label,
        "start": wall_clock(start),
        "end": wall_clock(end),
        "backgroundColor": palette.FILL[family],
        "borderColor": palette.EDGE[family],
        "textColor": palette.TEXT,
        "classNames": ["thera-event", f"thera-{family.value}"],
        # Signed notes keep their time: the core refuses to move them, so the calendar does not
        # offer to.
        "editable": signed is None or pd.isna(signed),
        "extendedProps": {
            "kind": row.kind_label,
            "who": who,
            "time": f"{start:%H:%M}–{end:%H:%M}",
            "client": is_client,
            "dots": [{"done": d, "name": n} for d, n in zip(dots, DOT_NAMES, strict=True)],
            "marks": marks,
            "label": ", ".join(parts),
            "version": int(row.version),
        },
    }


def week_items(events: pd.DataFrame) -> list[dict[str, Any]]:
    """Every event of the week, in start order (the one open is outlined by the grid)."""
    return [event_item(row) for row in events.itertuples(index=False)]


def draft_item(start: datetime, end: datetime) -> dict[str, Any]:
    """The slot of an event being booked, outlined until it is saved."""
    return {"id": "draft", "start": wall_clock(start), "end": wall_clock(end),
            "title": "New event", "display": "background",
            "classNames": ["thera-draft"], "backgroundColor": palette.TODAY,
            "extendedProps": {"label": f"New event, {start:%H:%M} to {end:%H:%M}"}}
