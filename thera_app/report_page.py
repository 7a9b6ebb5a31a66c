"""An executed report notebook as one standalone HTML page: outputs only, nothing fetched.

nbconvert's lab template without anything it would fetch (require.js, MathJax, Mermaid), a
small stylesheet of our own instead of JupyterLab's, and Panel's stylesheets, which the page
would load from Panel's CDN, inlined from the installed package.
"""

from __future__ import annotations

import base64
import importlib.util
import re
from pathlib import Path
from typing import Any

from thera_analytics.reports.readable import TABLE_CSS


def notebook_html(nb: Any) -> str:
    """An executed notebook as one standalone HTML page: outputs only, nothing fetched."""
    import jinja2
    from nbconvert import HTMLExporter

    for cell in nb.cells:
        tags = cell.get("metadata", {}).get("tags", [])
        if "key-figures" in tags:  # figures kept for checking, not for reading
            cell["outputs"] = []
        elif cell.get("outputs"):  # empty display outputs only make nbconvert warn
            cell["outputs"] = [o for o in cell["outputs"]
                               if o.get("output_type") != "display_data" or o.get("data")]
    nb.metadata["title"] = _title(nb)
    loader = jinja2.DictLoader({"thera_offline.html.j2": _OFFLINE_TEMPLATE})
    exporter = HTMLExporter(extra_loaders=[loader], template_file="thera_offline.html.j2",
                            exclude_input=True, exclude_input_prompt=True,
                            exclude_output_prompt=True)
    body, _ = exporter.from_notebook_node(nb)
    return inline_panel_css(body)


def inline_panel_css(page: str) -> str:
    """Replace Panel's CDN stylesheet links with ``data:`` URLs of the installed files."""
    if _PANEL_CDN.search(page) is None:
        return page
    spec = importlib.util.find_spec("panel")  # where Panel is installed, without importing it
    if spec is None or spec.origin is None:
        return page
    dist = Path(spec.origin).parent / "dist"

    def replace(match: re.Match[str]) -> str:
        file = dist / match.group(1)
        if not file.is_file():
            return match.group(0)
        data = base64.b64encode(file.read_bytes()).decode("ascii")
        return f"data:text/css;base64,{data}"

    return _PANEL_CDN.sub(replace, page)


REPORT_CSS = """
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif;
       color: #1f2328; background: #ffffff; margin: 0; }
main { max-width: 1100px; margin: 0 auto; padding: 24px 32px 48px; }
h1 { font-size: 28px; margin: 8px 0 12px; } h2 { font-size: 21px; margin: 28px 0 8px; }
h3 { font-size: 17px; } a.anchor-link { display: none; }
.jp-Cell { margin: 0 0 8px; } .jp-OutputArea-output pre { font: 13px ui-monospace, monospace;
  margin: 4px 0; white-space: pre-wrap; }
.jp-RenderedMarkdown ul { padding-left: 22px; } code { font: 13px ui-monospace, monospace; }
.thera-chart { margin: 8px 0 16px; overflow-x: auto; }
""" + TABLE_CSS

_PANEL_CDN = re.compile(r"https://cdn\.holoviz\.org/panel/[^/\"'\\]+/dist/([^\"'\\?]+)"
                        r"(?:\?v=[^\"'\\]*)?")

# nbconvert's lab template without anything it would fetch (require.js, MathJax, Mermaid) and
# with a small stylesheet of our own instead of JupyterLab's (about 260 kB of CSS for widgets
# a report does not have).
_OFFLINE_TEMPLATE = """{%- extends 'lab/index.html.j2' -%}
{% block html_head_js_requirejs %}{% endblock html_head_js_requirejs %}
{% block html_head_js_mathjax %}{% endblock html_head_js_mathjax %}
{% block html_head_js_mermaidjs %}{% endblock html_head_js_mermaidjs %}
{% block notebook_css %}<style>""" + REPORT_CSS + """</style>{% endblock notebook_css %}
"""


def _title(nb: Any) -> str:
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return "Practice report"
