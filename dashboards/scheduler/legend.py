"""The calendar's legend: colour families, the three dots, attendance and status marks."""

from __future__ import annotations

from html import escape

import panel as pn

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
.thera-legend .dot { width: 9px; height: 9px; border-radius: 50%; display: inline-block; }
.thera-legend .mark { width: 9px; height: 9px; display: inline-block; }
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
        f'<span class="item"><span class="dot" style="background:{palette.DOT_GREEN}"></span>'
        f'<span class="dot" style="background:{palette.DOT_GREEN}"></span>'
        f'<span class="dot" style="background:{palette.DOT_GREY}"></span>'
        "&nbsp;1 details · 2 plan · 3 outcome &amp; signed (green done, grey to do)</span>"
    )
    marks = "".join(
        f'<span class="item"><span class="mark" style="background:{a.colour}"></span>'
        f"{escape(a.label)}</span>" for a in Attendance
    )
    status = "".join(
        f'<span class="item"><span class="mark" style="background:{s.colour}"></span>'
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
