"""The calendar's legend: colour families, the three dots, attendance and status marks."""

from __future__ import annotations

from html import escape

import panel as pn

from dashboards.shared.labels import ATTENDANCE_LETTER, STATUS_LETTER
from thera_analytics.domain import palette
from thera_analytics.domain.attendance import Attendance, SessionStatus
from thera_analytics.domain.kinds import EventKind
from thera_analytics.domain.palette import ColourFamily

LEGEND_CSS = """
.thera-legend { display: flex; flex-wrap: wrap; gap: 6px 22px; font: 12px system-ui, sans-serif;
                color: #1f2328; align-items: center; }
.thera-legend .group { display: flex; gap: 10px; align-items: center; flex-wrap: wrap; }
.thera-legend .title { font-weight: 600; color: #57606a; }
.thera-legend .item { display: inline-flex; gap: 5px; align-items: center; }
.thera-legend .swatch { width: 22px; height: 14px; border-radius: 3px; border: 1px solid; }
.thera-legend .dot { width: 13px; height: 13px; border-radius: 50%; display: inline-block;
                     font-size: 9px; line-height: 11px; text-align: center; font-weight: 700;
                     box-sizing: border-box; }
.thera-legend .dot.done { background: #1a7f37; color: #ffffff; border: 1px solid #ffffff; }
.thera-legend .dot.todo { background: #ffffff; color: #1f2328; border: 1.5px solid #8c959f; }
.thera-legend .mark { min-width: 13px; height: 13px; display: inline-block; font-size: 9px;
                      line-height: 13px; text-align: center; font-weight: 700; color: #1f2328;
                      border-radius: 2px; padding: 0 1px; }
"""


def _kinds(family: ColourFamily) -> str:
    return ", ".join(k.label for k in EventKind if k.colour_family is family)


def legend_html() -> str:
    """The legend as HTML (every text escaped, every colour from the palette)."""
    families = "".join(
        f'<span class="item" title="{escape(_kinds(f))}">'
        f'<span class="swatch" style="background:{palette.FILL[f]};'
        f'border-color:{palette.EDGE[f]}"></span>{escape(name)}</span>'
        for f, name in (
            (ColourFamily.BLUE, "Client sessions"),
            (ColourFamily.PINK, "Video sessions"),
            (ColourFamily.PURPLE, "Team meetings"),
            (ColourFamily.PEACH, "Non-client"),
        )
    )
    dots = (
        '<span class="item"><span class="dot done" aria-hidden="true">✓</span>'
        '<span class="dot done" aria-hidden="true">✓</span>'
        '<span class="dot todo" aria-hidden="true">3</span>'
        "&nbsp;1 details · 2 plan · 3 outcome &amp; signed (green ✓ done, numbered to do)"
        "</span>"
    )
    marks = "".join(
        f'<span class="item"><span class="mark" aria-hidden="true" '
        f'style="background:{a.colour}">{escape(ATTENDANCE_LETTER[a])}</span>'
        f"{escape(a.label)}</span>" for a in Attendance
    ) + ('<span class="item"><span class="mark" aria-hidden="true" '
         'style="background:#ffffff;box-shadow:0 0 0 1px #8c959f">?</span>Not marked</span>')
    status = "".join(
        f'<span class="item"><span class="mark" aria-hidden="true" '
        f'style="background:{s.colour}">{escape(STATUS_LETTER[s])}</span>'
        f"{escape(s.label)}</span>" for s in SessionStatus
    )
    today = (f'<span class="item"><span class="swatch" style="background:{palette.TODAY};'
             f'border-color:{palette.GRID}"></span>Today</span>')
    return (
        '<div class="thera-legend">'
        f'<div class="group"><span class="title">Kinds</span>{families}{today}</div>'
        f'<div class="group"><span class="title">Dots</span>{dots}</div>'
        f'<div class="group"><span class="title">Attendance</span>{marks}</div>'
        f'<div class="group"><span class="title">Status</span>{status}</div>'
        "</div>"
    )


def legend() -> pn.pane.HTML:
    return pn.pane.HTML(legend_html(), stylesheets=[LEGEND_CSS], margin=(6, 14),
                        sizing_mode="stretch_width", css_classes=["thera-calendar-legend"])
