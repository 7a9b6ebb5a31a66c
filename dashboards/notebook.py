"""The first cell of every notebook: charts and widgets that draw with no internet.

Panel and HoloViews load BokehJS from ``cdn.bokeh.org`` / ``cdn.holoviz.org`` unless told
otherwise, which a clinic's closed network cannot reach: every chart is then an empty cell.
``setup()`` loads them from this installation instead, inlined in the notebook's outputs, and
says so in a line that stays a warning if the browser could not run them.

Two ways to draw:

- **interactive** (JupyterLab, the default): HoloViews' and Panel's notebook extensions with
  their JavaScript inlined, and HoloViews objects shown through Panel, whose stylesheets are
  inlined too; widgets and the dashboard talk to the kernel.
- **static** (``thera report --html`` sets ``THERA_CHARTS=static`` for its kernel): each chart
  becomes a standalone Bokeh figure with hover and no toolbar, and only BokehJS itself (about a
  third of the interactive bundle) is inlined, once, so the page is small and opens anywhere.

No module of this project calls ``hv.extension`` or ``pn.extension`` when imported: only this.
"""

from __future__ import annotations

import html
import os
import re
import uuid
from collections.abc import Mapping
from typing import Any

STATIC_ENV = "THERA_CHARTS"

CDN_HOSTS: tuple[str, ...] = (
    "cdn.bokeh.org", "cdn.holoviz.org", "cdn.jsdelivr.net", "unpkg.com", "cdnjs.cloudflare.com",
    "esm.sh", "cdn.skypack.dev", "fonts.googleapis.com", "fonts.gstatic.com", "code.jquery.com",
)
"""Hosts a notebook output or report must never name (tests check executed outputs)."""

_HOSTS = "|".join(re.escape(h) for h in CDN_HOSTS)
_CDN_URL = re.compile(rf"(?:https?:)?//(?:{_HOSTS})[^\s\"'`)\]]*")

STATUS_CLASS = "thera-js-status"
MISSING_TEXT = (
    "The chart library (BokehJS) has not run in this page, so charts and widgets below stay "
    "empty. Run this cell again (Run ▸ Run All Cells). A notebook opened from a file must be "
    "trusted first (Command Palette ▸ Trust Notebook).")


def names_cdn(text: str) -> list[str]:
    """Every CDN address in ``text`` (empty when it names none)."""
    return [m.group(0) for m in _CDN_URL.finditer(text)]


def without_cdn(text: str) -> str:
    """``text`` with every CDN address blanked.

    The inlined libraries still carry fallbacks to a CDN (Panel's loader for a classic
    notebook's require.js, MathJax and icon fonts on demand); we use none of them, and a
    blanked address can never be fetched.
    """
    return _CDN_URL.sub("", text)


def setup(*, static: bool | None = None) -> None:
    """Load the chart and widget libraries from this installation and show that they ran.

    ``static`` None reads ``THERA_CHARTS`` (``static`` for an HTML report).
    """
    if static is None:
        static = os.environ.get(STATIC_ENV, "").lower() == "static"
    if static:
        _setup_static()
    else:
        _setup_interactive()
    _show_tables_readably()


# -- interactive: JupyterLab ---------------------------------------------------------------------
def _setup_interactive() -> None:
    import holoviews as hv
    import panel as pn
    from IPython.display import HTML, display, publish_display_data
    from IPython.utils.capture import capture_output

    with capture_output(stdout=False, stderr=False) as captured:
        hv.extension("bokeh", inline=True, logo=False)
        pn.extension("tabulator", inline=True)
    for output in captured.outputs:
        publish_display_data(_offline_bundle(output.data), output.metadata)
    _show_holoviews_through_panel()
    display(HTML(status_html()))


def status_html() -> str:
    """A line that is a warning until BokehJS runs, then says the charts are ready."""
    ident = f"thera-js-{uuid.uuid4().hex[:12]}"
    return f"""<div id="{ident}" class="{STATUS_CLASS}" role="status"
 style="font:13px system-ui,sans-serif;padding:6px 10px;border-left:4px solid #b35900;
 background:#fff4e5;color:#1f2328">&#9888; {html.escape(MISSING_TEXT)}</div>
<script>
(function () {{
  var tries = 0;
  function check() {{
    var el = document.getElementById("{ident}");
    if (!el) return;
    if (window.Bokeh && window.Bokeh.version) {{
      el.textContent = "Charts and widgets ready: BokehJS " + window.Bokeh.version +
        " and Panel loaded from this notebook, nothing from the internet.";
      el.style.borderLeftColor = "#1a7f37"; el.style.background = "#eef8f0";
      el.dataset.ready = "true";
    }} else if (++tries < 100) {{ setTimeout(check, 100); }}
  }}
  check();
}})();
</script>"""


def _show_holoviews_through_panel() -> None:
    """Show HoloViews objects as Panel panes: Panel inlines their stylesheets, HoloViews'
    own notebook display links them from the CDN."""
    import holoviews as hv
    import panel as pn
    from IPython import get_ipython

    shell = get_ipython()
    if shell is None:
        return

    def bundle(obj: Any, include: Any = None, exclude: Any = None) -> Any:
        return pn.panel(obj)._repr_mimebundle_(include, exclude)

    shell.display_formatter.mimebundle_formatter.for_type(hv.core.Dimensioned, bundle)


def _show_tables_readably() -> None:
    """Show report tables with headings in words, separators and no index column
    (``reports.readable``); a table with its own index, or too long, is shown as pandas does."""
    import pandas as pd
    from IPython import get_ipython

    from thera_analytics.reports.readable import TABLE_CSS, html_table

    shell = get_ipython()
    if shell is None:
        return

    def table(frame: pd.DataFrame) -> str | None:
        limit = pd.get_option("display.max_rows") or len(frame)
        if not isinstance(frame.index, pd.RangeIndex) or len(frame) > limit:
            return None  # IPython falls back to pandas' own HTML
        return f"<style>{TABLE_CSS}</style>{html_table(frame)}"

    shell.display_formatter.formatters["text/html"].for_type(pd.DataFrame, table)


def _offline_bundle(data: Mapping[str, Any]) -> dict[str, Any]:
    return {mime: without_cdn(value) if isinstance(value, str) else value
            for mime, value in data.items()}


# -- static: an HTML report ----------------------------------------------------------------------
def _setup_static() -> None:
    import holoviews as hv
    import holoviews.plotting.bokeh  # noqa: F401  (the Bokeh renderer hv.render uses)
    from bokeh.resources import Resources
    from IPython import get_ipython
    from IPython.display import HTML, display

    hv.Store.set_current_backend("bokeh")
    shell = get_ipython()
    if shell is not None:
        def bundle(obj: Any, include: Any = None, exclude: Any = None) -> Any:
            return {"text/html": static_chart_html(obj)}

        shell.display_formatter.mimebundle_formatter.for_type(hv.core.Dimensioned, bundle)
    # BokehJS alone: static figures need no widgets, tables, WebGL, MathJax or Panel.
    core = "\n".join(Resources(mode="inline", components=["bokeh"]).js_raw)
    display(HTML(f"<script>{without_cdn(core)}</script>"))


def static_chart_html(obj: Any) -> str:
    """A HoloViews object as one standalone Bokeh figure (hover kept, no toolbar)."""
    import holoviews as hv
    from bokeh.embed import components

    fig = hv.render(obj, backend="bokeh")
    if hasattr(fig, "toolbar_location"):
        fig.toolbar_location = None
    script, div = components(fig)
    return f'<div class="thera-chart">{div}</div>{without_cdn(script)}'
