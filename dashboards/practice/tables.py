"""Report tables on the dashboard: read-only, sortable, each with a CSV download of its data.

The download is the report function's own table (raw columns, full precision), not the rounded
one on screen, so a spreadsheet gets the same numbers as ``thera report`` and the notebooks.
Tabulator shows cell text as plain text (escaped), so names from the database cannot inject
markup.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from html import escape

import pandas as pd
import panel as pn
from bokeh.models.widgets.tables import HTMLTemplateFormatter

from thera_analytics.domain import palette


def load_tabulator() -> None:
    """Tables appear in tabs opened after the page loaded, so the page must carry Tabulator from
    the start. Called while a session builds its page, it adds Tabulator to that page only (not
    to the scheduler's or the portal's); a notebook calls ``pn.extension("tabulator")``."""
    pn.extension("tabulator")

TABLE_CSS = """
.thera-section-title { font: 600 1.05rem system-ui, sans-serif; color: #1f2328; margin: 0; }
.thera-section-note { font: 0.85rem system-ui, sans-serif; color: #57606a; margin: 2px 0 0; }
"""

# Inside each table (its own shadow root): the paginator's buttons at least 24 px square
# (WCAG 2.2 target size; Tabulator draws them 19 px), a visible focus on the sortable headers
# the page's repairs make focusable, and on the scroller when it takes focus.
TABULATOR_CSS = """
.tabulator .tabulator-footer .tabulator-page { min-width: 28px; min-height: 28px;
  margin: 0 3px; padding: 2px 8px; }
.tabulator .tabulator-col:focus-visible, .tabulator .tabulator-tableholder:focus-visible,
.tabulator .tabulator-page:focus-visible { outline: 2px solid #0969da; outline-offset: -2px; }
"""

# A share as its number, then a bar beside it: the number never sits on the bar's edge (a
# centred legend over a progress bar is cut in two where the fill ends). The cell's value stays
# the number, so the column sorts and downloads as numbers.
PERCENT = HTMLTemplateFormatter(template=(
    '<% if (value === null || value === undefined || isNaN(value)) { %>'
    '<span class="thera-bar-none">–</span><% } else { %>'
    '<div class="thera-bar-cell" style="display:flex;align-items:center;gap:6px">'
    '<span class="thera-bar-value" style="min-width:3.2em;text-align:right;'
    f'font-variant-numeric:tabular-nums;color:{palette.TEXT}"><%= value %></span>'
    '<span aria-hidden="true" style="flex:1;min-width:40px;height:10px;background:#eaeef2;'
    'border-radius:2px">'
    '<span class="thera-bar" style="display:block;height:10px;border-radius:2px;'
    f'background:{palette.EDGE[palette.ColourFamily.BLUE]};'
    'width:<%= Math.max(0, Math.min(100, value)) %>%"></span></span></div><% } %>'))


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def report_table(frame: pd.DataFrame, *, percent: tuple[str, ...] = (), page_size: int = 0,
                 height: int | None = None, link: str | None = None, name: str = "",
                 **params: object) -> pn.widgets.Tabulator:
    """A read-only table; ``percent`` columns drawn as bars, ``link`` a column of event ids
    shown as links to the event in the scheduler."""
    formatters: dict[str, object] = {c: PERCENT for c in percent}
    if link is not None:
        formatters[link] = {"type": "link", "urlPrefix": scheduler_link_prefix(),
                            "target": "_blank"}
    options: dict[str, object] = dict(
        disabled=True, show_index=False, sizing_mode="stretch_width", formatters=formatters,
        layout="fit_data_stretch", selectable=False, header_align="left",
        css_classes=["thera-table", f"thera-table-{slug(name)}"] if name else ["thera-table"],
        stylesheets=[TABULATOR_CSS],
    )
    if page_size:
        options.update(pagination="local", page_size=page_size)
    if height is not None:
        options["height"] = height
    options.update(params)
    return pn.widgets.Tabulator(frame, **options)


def scheduler_link_prefix() -> str:
    """Where an event id becomes a link: the scheduler opens it (read-only for a manager)."""
    base = (pn.state.base_url or "/").rstrip("/")
    return f"{base}/scheduler?event="


def csv_download(frame: Callable[[], pd.DataFrame], filename: str,
                 label: str = "Download CSV") -> pn.widgets.FileDownload:
    """A button that downloads ``frame()`` as CSV (computed when clicked)."""
    def callback() -> io.BytesIO:
        return io.BytesIO(frame().to_csv(index=False).encode("utf-8"))

    return pn.widgets.FileDownload(callback=callback, filename=filename, label=label,
                                   color="light", embed=False, width=170,
                                   margin=(2, 5), css_classes=["thera-download"])


def section(title: str, *body: object, note: str = "",
            download: pn.widgets.FileDownload | list[pn.widgets.FileDownload] | None = None,
            ) -> pn.Column:
    """A titled block: heading and note (escaped), download buttons, then the content."""
    head = f'<h2 class="thera-section-title">{escape(title)}</h2>'
    if note:
        head += f'<p class="thera-section-note">{escape(note)}</p>'
    header: list[object] = [pn.pane.HTML(head, stylesheets=[TABLE_CSS], margin=(8, 5, 4, 5),
                                         sizing_mode="stretch_width")]
    if download is not None:
        header.extend(download if isinstance(download, list) else [download])
    return pn.Column(pn.Row(*header, sizing_mode="stretch_width", margin=0), *body,
                     sizing_mode="stretch_width", margin=(0, 0, 14, 0),
                     css_classes=[f"thera-section-{slug(title)}"])


def percent(share: pd.Series) -> pd.Series:
    """Shares (0-1) as percentages to one decimal, missing shares left empty."""
    return (100 * pd.to_numeric(share, errors="coerce").astype(float)).round(1)
