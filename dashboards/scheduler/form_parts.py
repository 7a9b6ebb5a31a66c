"""What the editor's forms share: their stylesheet, section headings, time options and a row
of fields that wraps onto the next line on a narrow screen (people's labels are in
``dashboards.shared.labels``)."""

from __future__ import annotations

from html import escape

import panel as pn

FORM_CSS = """
.thera-section { font: 600 12px system-ui, sans-serif; color: #57606a; text-transform: uppercase;
                 letter-spacing: .04em; margin-top: 6px; }
.thera-recipient { font: 13px system-ui, sans-serif; color: #1f2328; padding-top: 8px;
                   overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.thera-hint { font: 12.5px system-ui, sans-serif; color: #57606a; }
"""


def time_options(extra: list[str] | None = None) -> list[str]:
    """Wall-clock times in quarter hours, plus any odd times an existing event uses."""
    base = [f"{h:02d}:{m:02d}" for h in range(24) for m in (0, 15, 30, 45)]
    return sorted(set(base) | set(extra or []))


def section(text: str) -> pn.pane.HTML:
    """A small uppercase heading between groups of fields."""
    return pn.pane.HTML(f'<div class="thera-section">{escape(text)}</div>',
                        stylesheets=[FORM_CSS], margin=(8, 10, 0, 10))


def field_row(*objects: object, **params: object) -> pn.FlexBox:
    """Fields side by side while they fit, the next one on a new line when they do not (a
    phone is 390 px wide: a fixed-width row would make the whole page scroll sideways)."""
    for obj in objects:  # a stretching field shares the line from its minimum width up
        if isinstance(obj, pn.viewable.Layoutable) and obj.sizing_mode == "stretch_width":
            obj.styles = {**obj.styles, "flex": f"1 1 {obj.min_width or 150}px"}
    params.setdefault("sizing_mode", "stretch_width")
    params.setdefault("margin", 0)
    params.setdefault("align_items", "flex-end")
    return pn.FlexBox(*objects, flex_wrap="wrap", **params)
