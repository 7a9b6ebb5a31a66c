"""Labels the calendars, forms and panels share: people as options, marks as letters, the
three dots in words."""

from __future__ import annotations

from html import escape

import pandas as pd

from thera_analytics.domain.attendance import Attendance, SessionStatus

# The letter on an attendance or status mark, in the week and in its legend: a letter beside
# each colour, so that a mark is never colour alone.
ATTENDANCE_LETTER = {
    Attendance.ATTENDED: "A",
    Attendance.CANCELLED: "C",
    Attendance.LATE_CANCELLATION: "L",
    Attendance.NO_SHOW: "N",
    Attendance.NON_BILLABLE: "NB",
}
STATUS_LETTER = {
    SessionStatus.COMPLETED: "✓",
    SessionStatus.IN_PROGRESS: "P",
    SessionStatus.ON_HOLD: "H",
}


def option_labels(names: pd.Series, ids: pd.Series, extra: pd.Series | None = None, *,
                  markup: bool = False) -> dict[str, int]:
    """Option labels for people; duplicate names get their id so each label is unique.

    ``markup``: the widget renders labels as HTML (Bokeh's MultiChoice leaves Choices.js's
    ``allowHTML`` on), so names are escaped and show as typed, never as markup.
    """
    labels = [str(n) if extra is None else f"{n} ({x})"
              for n, x in zip(names, extra if extra is not None else names, strict=True)]
    if markup:
        labels = [escape(lab) for lab in labels]
    seen: dict[str, int] = {}
    for lab in labels:
        seen[lab] = seen.get(lab, 0) + 1
    return {(lab if seen[lab] == 1 else f"{lab} #{i}"): int(i)
            for lab, i in zip(labels, ids, strict=True)}


def done_text(dots: tuple[bool, bool, bool]) -> str:
    """What is done, in words: "details saved, plan saved, outcome to do"."""
    details, plan, outcome = dots
    return ", ".join((
        "details saved" if details else "details to do",
        "plan saved" if plan else "plan to do",
        "outcome marked and signed" if outcome else "outcome to do",
    ))
