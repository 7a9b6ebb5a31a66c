"""HTML reports: the report's notebook executed with its parameters and converted to one page.

The parameters are injected after the cell tagged ``parameters``, as papermill does, and the
notebook is executed with nbclient and converted with nbconvert, with BokehJS and Panel's
stylesheets embedded so the page opens offline. This runs a Jupyter kernel, so it lives here in
the composition root, not in the core: ``thera report --html`` passes ``render_html`` to
``thera_analytics.reports.export.write_report``.
"""

from __future__ import annotations

import ast
import base64
import re
import tempfile
from pathlib import Path
from typing import Any

from thera_analytics.domain.errors import PracticeError, ValidationError
from thera_analytics.reports.export import INJECTED_TAG, NOTEBOOKS, STATIC_CHARTS_ENV, ReportRequest
from thera_analytics.reports.export import write_report as write_core_report
from thera_analytics.reports.readable import TABLE_CSS
from thera_analytics.reports.source import Source


def write_report(db: Source, name: str, fmt: str, out: str | Path | None = None,
                 **options: Any) -> Path | None:
    """``export.write_report`` with HTML pages rendered from the notebooks."""
    return write_core_report(db, name, fmt, out, html=render_html, **options)


def notebooks_dir() -> Path:
    """The project's ``notebooks/`` folder (next to the package in a source checkout)."""
    here = Path(__file__).resolve().parents[1] / "notebooks"
    if not here.is_dir():
        raise PracticeError("html: the report notebooks were not found next to the package "
                            f"(looked in {here.name}/ of the source checkout)")
    return here


def render_html(db: Source, request: ReportRequest, out: Path, *, timeout: int = 600) -> Path:
    """Execute the report's notebook for these parameters and write a standalone page.

    The kernel draws static charts (``THERA_CHARTS=static``): one standalone Bokeh figure
    per chart, no toolbar, and BokehJS alone inlined once, so the page opens offline.
    """
    notebook = notebooks_dir() / NOTEBOOKS[request.name]
    with tempfile.TemporaryDirectory(prefix="thera-report-") as tmp:
        db_path = readable_path(db, Path(tmp))
        values = {"db_path": str(Path(db_path).resolve()), "start": request.start.isoformat(),
                  "end": request.end.isoformat(), "as_of": request.as_of.isoformat(),
                  "clinician_id": request.clinician_id, "service_id": request.service_id}
        nb = execute_notebook(notebook, values, timeout=timeout,
                              env={STATIC_CHARTS_ENV: "static"}, log=Path(tmp) / "kernel.log")
        page = notebook_html(nb)
    out.write_text(page, encoding="utf-8")
    return out


def readable_path(db: Source, folder: Path) -> Path:
    """A file another process can open read-only: the database itself, or a snapshot."""
    path = getattr(db, "path", None)
    if getattr(db, "read_only", False) and path and path != ":memory:":
        return Path(path)
    snapshot = getattr(db, "snapshot", None)
    if snapshot is None:
        raise ValidationError("db", "an html report needs a practice database file")
    return Path(snapshot(folder / "snapshot.duckdb"))


def execute_notebook(notebook: Path, values: dict[str, Any], *, timeout: int = 600,
                     env: dict[str, str] | None = None, log: Path | None = None) -> Any:
    """Run a notebook with parameters injected (papermill style); return the executed copy.

    ``env`` is added to the kernel's environment. The kernel's own log lines (a warning
    about its local TCP transport on every start) go to ``log``, or nowhere, rather than to
    the terminal of whoever asked for a report; a kernel that dies has its log in the error.
    """
    import os
    import subprocess

    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import DeadKernelError

    nb = nbformat.read(notebook, as_version=4)
    inject_parameters(nb, values)
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", record_timing=False,
                            resources={"metadata": {"path": str(notebook.parent)}})
    kernel_env = {**os.environ, **(env or {})}
    with open(log if log is not None else os.devnull, "w", encoding="utf-8") as stderr:
        try:
            client.execute(env=kernel_env, stderr=stderr, stdout=subprocess.DEVNULL)
        except DeadKernelError as exc:
            detail = log.read_text(encoding="utf-8")[-2000:] if log is not None else ""
            raise PracticeError(f"html: the notebook's kernel died ({exc}) {detail}") from None
    return nb


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


def inject_parameters(nb: Any, values: dict[str, Any]) -> None:
    """Add (or replace) a cell after the one tagged ``parameters`` that sets ``values``.

    Only names the parameters cell assigns are injected, so one set of values fits every
    report notebook.
    """
    import nbformat

    cells = nb.cells
    cells[:] = [c for c in cells if INJECTED_TAG not in c.get("metadata", {}).get("tags", [])]
    at = next((i for i, c in enumerate(cells)
               if "parameters" in c.get("metadata", {}).get("tags", [])), None)
    if at is None:
        raise PracticeError("html: the notebook has no cell tagged 'parameters'")
    declared = _assigned_names(cells[at].source)
    lines = ["# Parameters injected for this report"]
    lines += [f"{k} = {v!r}" for k, v in values.items() if k in declared]
    cell = nbformat.v4.new_code_cell("\n".join(lines))
    cell.metadata["tags"] = [INJECTED_TAG]
    cells.insert(at + 1, cell)


def inline_panel_css(page: str) -> str:
    """Replace Panel's CDN stylesheet links with ``data:`` URLs of the installed files."""
    import importlib.util

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




def _assigned_names(source: str) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
    return names


def _title(nb: Any) -> str:
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return "Practice report"
