"""The one place colours are defined, for the calendar, the dashboards and the notebooks.

Colour families follow the practice's habit (blue client sessions, pink video, peach non-client,
purple team). Each family has a fill light enough for dark text (WCAG AA contrast >= 4.5:1 with
``TEXT``) and a darker ``edge`` for borders; the event label always names the kind, so colour is
never the only cue. Attendance colours use the Okabe-Ito colour-blind-safe hues where the practice's
words (green, red, orange, grey) allow.
"""

from __future__ import annotations

from enum import StrEnum

TEXT = "#1f2328"
TODAY = "#fff4c2"
GRID = "#d0d7de"
DOT_GREEN = "#1a7f37"
DOT_GREY = "#8c959f"


class ColourFamily(StrEnum):
    BLUE = "blue"
    PINK = "pink"
    PEACH = "peach"
    PURPLE = "purple"


FILL: dict[ColourFamily, str] = {
    ColourFamily.BLUE: "#9ecbff",
    ColourFamily.PINK: "#f9b3d1",
    ColourFamily.PEACH: "#ffd2a8",
    ColourFamily.PURPLE: "#cdb8f5",
}

EDGE: dict[ColourFamily, str] = {
    ColourFamily.BLUE: "#0a5cb8",
    ColourFamily.PINK: "#b3136b",
    ColourFamily.PEACH: "#b35c00",
    ColourFamily.PURPLE: "#6639ba",
}

# Attendance (and indirect status) colours, keyed by the stored value.
ATTENDANCE: dict[str, str] = {
    "attended": "#009e73",  # green (Okabe-Ito bluish green)
    "cancelled": "#d55e00",  # red (Okabe-Ito vermilion)
    "late_cancellation": "#e69f00",  # orange
    "no_show": "#8c959f",  # grey
    "non_billable": "#b0b7bf",  # light grey
}

STATUS: dict[str, str] = {
    "completed": "#009e73",
    "in_progress": "#56b4e9",
    "on_hold": "#8c959f",
}


def relative_luminance(hex_colour: str) -> float:
    """WCAG relative luminance of an ``#rrggbb`` colour."""
    h = hex_colour.lstrip("#")
    channels = [int(h[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast_ratio(a: str, b: str) -> float:
    """WCAG contrast ratio between two colours (1 to 21)."""
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)
