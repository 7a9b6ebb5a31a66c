"""The practice week's plot: the lanes' elements (background, blocks, text, dots, marks), the
figure's size and style, and colours drawn straight from data columns.

Each element is a function of the ``LaneView`` that a DynamicMap calls on every update; the
view in ``practice_week`` overlays them and keeps the figure they draw on.
"""

from __future__ import annotations

from collections.abc import Callable

import holoviews as hv
import holoviews.plotting.bokeh  # noqa: F401  (the Bokeh backend; no notebook extension)
import pandas as pd
from bokeh.core.property.vectorization import field
from bokeh.models import Plot

from dashboards.panel_internals import glyph_renderer
from dashboards.practice.lanes import LaneView
from thera_analytics.domain import palette

# Select the Bokeh backend (and its options, which hv.opts needs); unlike hv.extension, this
# loads no notebook extension and no JavaScript.
hv.Store.set_current_backend("bokeh")

PLOT_NAME = "thera-practice-week"
OUTLINE_NAME = "thera-practice-selected"
# Fixed room around the frame, so the frame is exactly the width the text was fitted to:
# clinicians' names (cut to NAME_CHARS) on the left, the days above.
NAMES_PX = 170
AXIS_PX = 30
BORDER_PX = 8

TOOLTIPS = [
    ("", "@kind_label"),
    ("", "@clinician"),
    ("", "@who"),
    ("", "@when"),
    ("", "@service"),
    ("", "@attendance_text"),
    ("", "@dots_text"),
]

def axes(view: LaneView, hooks: list[Callable[..., None]]) -> dict[str, object]:
    return {
        "xlim": view.xlim,
        "ylim": view.ylim,
        "invert_yaxis": True,
        "xticks": view.x_ticks,
        "yticks": view.y_ticks,
        "frame_width": view.frame_width,
        "frame_height": view.frame_height,
        "xlabel": "",
        "ylabel": "",
        "toolbar": None,
        "default_tools": [],
        "xaxis": "top",
        "show_grid": False,
        "framewise": True,  # the ranges follow each frame (lanes shown, one day or the week)
        "hooks": hooks,
    }


def size_figure(fig: Plot, view: LaneView) -> None:
    """The frame exactly as wide as the text was fitted to and as tall as the lanes shown."""
    wanted = {
        "frame_width": view.frame_width, "frame_height": view.frame_height,
        "width": view.frame_width + NAMES_PX + BORDER_PX,
        "height": view.frame_height + AXIS_PX + BORDER_PX,
        "min_border_left": NAMES_PX, "min_border_right": BORDER_PX,
        "min_border_top": AXIS_PX, "min_border_bottom": BORDER_PX,
    }
    for name, value in wanted.items():
        if getattr(fig, name) != value:
            setattr(fig, name, value)


def style_figure(fig: Plot) -> None:
    fig.name = PLOT_NAME
    fig.output_backend = "canvas"  # faster than WebGL's blit without a GPU (see scheduler)
    fig.outline_line_color = palette.GRID
    fig.xaxis.major_label_text_font_size = "12px"
    fig.xaxis.major_label_text_font_style = "bold"
    fig.xaxis.major_label_text_color = palette.TEXT
    fig.yaxis.major_label_text_color = palette.TEXT
    fig.yaxis.major_label_text_font_size = "12px"
    for axis in (*fig.xaxis, *fig.yaxis):
        axis.major_tick_line_color = None
        axis.minor_tick_line_color = None
        axis.axis_line_color = None
    fig.xgrid.grid_line_color = None
    fig.ygrid.grid_line_color = None


def colour_columns(plot: object, element: object, *, fill: str, line: str | None = None
                    ) -> None:
    """HoloViews hook: draw fill (and line) colours straight from data columns.

    The columns already hold palette colours. Mapped through HoloViews instead, every value is
    validated as a colour on each update (~0.3 s of a 1,500-event week's 0.8 s redraw); the
    element is given one placeholder colour and its glyphs are pointed at the columns here.
    (The columns are in the data because the hover tooltip reads the element's values.)
    """
    renderer = glyph_renderer(plot)
    if renderer is None:
        return
    for glyph in (renderer.glyph, renderer.selection_glyph, renderer.nonselection_glyph,
                  renderer.hover_glyph, renderer.muted_glyph):
        if glyph is None or isinstance(glyph, str):
            continue
        if glyph.fill_color != field(fill):
            glyph.fill_color = field(fill)
        if line is not None and glyph.line_color != field(line):
            glyph.line_color = field(line)


def background(data: LaneView, hooks: list[Callable[..., None]]) -> hv.Rectangles:
    """Day columns (today tinted), alternate lanes shaded, and a line at the current time."""
    n = data.total_rows
    rows = [(d, 0, d + 1, n, palette.TODAY if d == data.today_index else "#ffffff",
             0.9 if d == data.today_index else 0.0, palette.GRID, 1.0) for d in range(data.days)]
    rows += [(0, top, data.days, top + height, palette.GRID, 0.22, palette.GRID, 0.0)
             for i, (top, height) in enumerate(zip(data.lane_tops, data.lane_rows, strict=True))
             if i % 2]
    if data.now_x is not None:
        px = data.frame_width / (data.xlim[1] - data.xlim[0])
        rows.append((data.now_x - 1 / px, 0, data.now_x + 1 / px, n, palette.TEXT, 0.55,
                     palette.TEXT, 0.0))
    frame = pd.DataFrame(rows, columns=["x0", "y0", "x1", "y1", "fill", "alpha", "line",
                                        "line_alpha"])
    return hv.Rectangles(frame, vdims=["fill", "alpha", "line", "line_alpha"]).opts(
        color="fill", fill_alpha="alpha", line_color="line", line_alpha="line_alpha",
        line_width=1, **axes(data, hooks))


def blocks(data: LaneView, hooks: list[Callable[..., None]]) -> hv.Rectangles:
    return hv.Rectangles(
        data.blocks, kdims=["x0", "y0", "x1", "y1"],
        vdims=["fill", "edge", "kind_label", "clinician", "who", "when", "service",
               "attendance_text", "dots_text", "event_id"],
    ).opts(color=palette.GRID, line_color=palette.GRID, line_width=1, tools=["hover"],
           hover_tooltips=TOOLTIPS, nonselection_alpha=1.0, **axes(data, hooks))


def labels(data: LaneView, hooks: list[Callable[..., None]]) -> hv.Labels:
    return hv.Labels(data.labels, kdims=["x", "y"], vdims=["text"]).opts(
        text_align="left", text_baseline="top", text_font_size="11px",
        text_color=palette.TEXT, **axes(data, hooks))


def dots(data: LaneView, hooks: list[Callable[..., None]]) -> hv.Points:
    # Colour by a number (0 to do, 1 done) through a two-colour map: HoloViews validates every
    # value of a column of colour names, not numbers (see colour_columns).
    frame = data.dots.assign(done=(data.dots["colour"] == palette.DOT_GREEN).astype(int))
    return hv.Points(frame, kdims=["x", "y"], vdims=["done", "size", "dot", "event_id"]).opts(
        color="done", cmap=[palette.DOT_GREY, palette.DOT_GREEN], clim=(-0.5, 1.5),
        colorbar=False, size="size", line_color="#ffffff", line_width=0.5, marker="circle",
        **axes(data, hooks))


MARK_COLOURS = [*palette.ATTENDANCE.values(), *palette.STATUS.values()]


def marks(data: LaneView, hooks: list[Callable[..., None]]) -> hv.Points:
    frame = data.marks.assign(code=data.marks["colour"].map(
        {c: i for i, c in enumerate(MARK_COLOURS)}).astype(int))
    return hv.Points(frame, kdims=["x", "y"], vdims=["code", "value", "event_id"]).opts(
        color="code", cmap=MARK_COLOURS, clim=(-0.5, len(MARK_COLOURS) - 0.5),
        colorbar=False, size=8, line_color="#ffffff", line_width=1, marker="square",
        **axes(data, hooks))
