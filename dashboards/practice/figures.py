"""The dashboard's headline numbers in one small table (what a notebook checks and prints)."""

from __future__ import annotations

import pandas as pd

from dashboards.practice.attendance import AttendancePanel
from dashboards.practice.backlog import BacklogPanel
from dashboards.practice.completion import CompletionPanel
from dashboards.practice.lanes import week_summary
from dashboards.practice.practice_week import PracticeWeek


def key_figures(week: PracticeWeek, completion: CompletionPanel, backlog: BacklogPanel,
                attendance: AttendancePanel) -> pd.DataFrame:
    """One row per figure: the week's events and completion, the backlog, signing, attendance,
    read from the panels' own data (so they are the numbers on the page)."""
    for panel in (completion, backlog, attendance):
        panel.activate()
    ctx = week.context
    counts = week_summary(week.events, ctx.as_of)
    weekly = completion.weekly
    ended = int(weekly["ended"].sum())
    total = attendance.breakdowns["total"]
    signing = backlog.signing_practice
    rows = [
        ("week", "events", counts["events"]),
        ("week", "client events", counts["client_events"]),
        ("week", "client events ended", counts["ended"]),
        ("week", "ended, not complete", counts["incomplete"]),
        ("completion", "complete share (%)", _pct(weekly["complete"].sum(), ended)),
        ("completion", "incomplete", int(weekly["incomplete"].sum())),
        ("backlog", f"open notes ({backlog.scope.lower()})", int(backlog.by_clinician["total"]
                                                                 .sum())),
        ("signing", "signed within 24 h (%)",
         round(100 * float(signing["share_within_24h"].iloc[0]), 1) if len(signing) else None),
        ("attendance", f"attended (%), {attendance.picker.period.label}",
         round(100 * float(total["attended_rate"].iloc[0]), 1) if len(total) else None),
    ]
    frame = pd.DataFrame(rows, columns=["panel", "figure", "value"], dtype=object)
    frame.attrs["week"] = ctx.week.isoformat()
    return frame


def _pct(part: float, whole: float) -> float | None:
    return round(100 * float(part) / float(whole), 1) if whole else None
