"""Write a report as CSV, Parquet, Markdown, or a standalone HTML page rendered from its notebook.

``thera report`` calls ``write_report``; the HTML page is the matching notebook executed with
the report's parameters (injected after the cell tagged ``parameters``, as papermill does) and
converted with nbconvert, with BokehJS and Panel's stylesheets embedded so it opens offline.
"""

from __future__ import annotations

import ast
import base64
import re
import sys
import tempfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from thera_analytics.domain.errors import PracticeError, ValidationError
from thera_analytics.reports import attendance as att
from thera_analytics.reports import backlog as bl
from thera_analytics.reports import completion as cp
from thera_analytics.reports.defaults import last_complete_month, last_complete_weeks
from thera_analytics.reports.period import Period
from thera_analytics.reports.readable import TABLE_CSS, markdown_table
from thera_analytics.reports.source import Source, instant, optional_id

REPORTS: tuple[str, ...] = ("attendance", "backlog", "completion")
FORMATS: tuple[str, ...] = ("csv", "parquet", "markdown", "html")
NOTEBOOKS: dict[str, str] = {
    "attendance": "attendance_report.ipynb",
    "backlog": "unsigned_notes_backlog.ipynb",
    "completion": "unsigned_notes_backlog.ipynb",  # its "Completion tracking" section
}
DEFAULT_WEEKS = 4
OLDEST_ITEMS = 20
INJECTED_TAG = "injected-parameters"
STATIC_CHARTS_ENV = "THERA_CHARTS"  # read by dashboards.notebook.setup() in the kernel


@dataclass(frozen=True)
class ReportRequest:
    """Which report, for which period, instant and filters."""

    name: str
    period: Period
    as_of: datetime
    clinician_id: int | None = None
    service_id: int | None = None

    @property
    def start(self) -> date:
        return self.period.start

    @property
    def end(self) -> date:
        return self.period.end

    @property
    def filters(self) -> dict[str, int | None]:
        return {"clinician_id": self.clinician_id, "service_id": self.service_id}


def write_report(
    db: Source,
    name: str,
    fmt: str,
    out: str | Path | None = None,
    *,
    start: date | str | None = None,
    end: date | str | None = None,
    as_of: datetime | str | None = None,
    clinician_id: int | None = None,
    service_id: int | None = None,
) -> Path | None:
    """Write report ``name`` (attendance, backlog, completion) as ``fmt`` to ``out``.

    - ``fmt``: ``csv`` or ``parquet`` write the report's main table: attendance, every
      breakdown stacked (``dimension``, ``group``, counts, rates, billing); backlog, one row
      per incomplete past client event, oldest first, with what is missing; completion, one
      row per clinician per week. ``markdown`` writes the written summary and the summary
      tables. ``html`` executes the matching notebook (``notebooks/attendance_report.ipynb``;
      ``unsigned_notes_backlog.ipynb`` for backlog and completion) for these parameters and
      writes a standalone page whose charts draw without a network.
    - ``out``: the file to write; ``None`` writes csv and markdown to standard output
      (parquet and html need a file).
    - ``start``/``end``: the period, local days included (``date`` or ``YYYY-MM-DD``). By
      default (``reports.defaults``): attendance, the calendar month before the one holding
      the practice's latest session by ``as_of`` (or today); backlog and completion, the four
      whole weeks before the week holding that session.
    - ``as_of``: the instant the backlog, signing and completion are measured at (aware
      ``datetime`` or ISO text; naive means UTC); default now.
    - ``clinician_id``/``service_id``: only that clinician's / service's events.

    Returns the path written, or None for standard output. ``db`` is a ``Database`` (or
    anything with ``.df``); for html it must be a file database (a read-write one is read
    through a snapshot, so this also works inside the server process).
    """
    if name not in REPORTS:
        raise ValidationError("name", f"unknown report {name!r} (choose from "
                                      f"{', '.join(REPORTS)})")
    if fmt not in FORMATS:
        raise ValidationError("format", f"unknown format {fmt!r} (choose from "
                                        f"{', '.join(FORMATS)})")
    if out is None and fmt in ("parquet", "html"):
        raise ValidationError("out", f"a {fmt} report needs a file to write to")
    moment = instant(as_of)
    request = ReportRequest(name, report_period(db, name, start, end, moment), moment,
                            optional_id(clinician_id, "clinician_id"),
                            optional_id(service_id, "service_id"))
    path = Path(out) if out is not None else None
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "html":
        assert path is not None
        return render_html(db, request, path)
    if fmt == "markdown":
        text = report_markdown(db, request)
        if path is None:
            sys.stdout.write(text)
            return None
        path.write_text(text, encoding="utf-8")
        return path
    table = main_table(db, request)
    if fmt == "parquet":
        assert path is not None
        table.to_parquet(path, index=False)
        return path
    if path is None:
        table.to_csv(sys.stdout, index=False)
        return None
    table.to_csv(path, index=False)
    return path


def report_period(db: Source, name: str, start: date | str | None, end: date | str | None,
                  as_of: datetime) -> Period:
    """The period a report covers: as given, else the practice's own latest data (the same
    defaults as the notebooks: ``reports.defaults``)."""
    if start is None or end is None:
        if name == "attendance":
            default = last_complete_month(db, as_of)
        else:
            default = last_complete_weeks(db, DEFAULT_WEEKS, as_of)
    else:
        default = None
    return Period.coerce(start, end, default=default)


def main_table(db: Source, request: ReportRequest) -> pd.DataFrame:
    """The one table a csv or parquet report holds."""
    name, start, end, as_of, who = _unpack(request)
    if name == "attendance":
        return att.attendance_long(att.attendance_breakdowns(db, start, end, **who))
    if name == "backlog":
        return bl.backlog_items(db, as_of, **who)
    return cp.completion_by_week(db, start, end, as_of=as_of, **who)


def report_markdown(db: Source, request: ReportRequest) -> str:
    """The written summary and the summary tables, as Markdown."""
    name, start, end, as_of, who = _unpack(request)
    parts: list[str]
    if name == "attendance":
        summary = att.attendance_summary(db, start, end, **who)
        b = att.attendance_breakdowns(db, start, end, **who)
        parts = [f"# Attendance report, {summary.period.label}", summary.markdown()]
        for dim, title in (("clinician", "By clinician"), ("service", "By service"),
                           ("kind", "By kind of session"), ("month", "By month"),
                           ("weekday", "By weekday"), ("visit", "First and repeat visits")):
            parts += [f"## {title}", markdown_table(att.rate_table(b[dim], dim))]
        parts += ["## Billable and not billable",
                  markdown_table(att.billing_summary(db, start, end, **who)),
                  "## Direct and indirect time (minutes)",
                  markdown_table(att.clinician_time(db, start, end, **who).drop(
                      columns=["clinician_id"]))]
    elif name == "backlog":
        summary_b = bl.backlog_summary(db, start, end, as_of=as_of, **who)
        parts = [f"# Unsigned-note backlog, {summary_b.as_of_local}", summary_b.markdown(),
                 "## By clinician and age",
                 markdown_table(bl.backlog_by_clinician(db, as_of, **who).drop(
                     columns=["clinician_id"])),
                 f"## The {OLDEST_ITEMS} oldest",
                 markdown_table(bl.item_table(bl.backlog_items(db, as_of, limit=OLDEST_ITEMS,
                                                               **who))),
                 f"## Time to signature, {Period(start, end).label}",
                 markdown_table(bl.signing_table(bl.signing_times(db, start, end, as_of=as_of,
                                                                  **who))),
                 markdown_table(bl.signing_delay_distribution(db, start, end, as_of=as_of,
                                                              **who)),
                 "## Signed and still amendable",
                 markdown_table(bl.amendable_table(bl.amendable_notes(db, as_of, **who))),
                 "## Week by week",
                 markdown_table(bl.backlog_trend(db, start, end, as_of=as_of, **who))]
    else:
        weekly = cp.completion_by_week(db, start, end, as_of=as_of, **who)
        parts = [f"# Completion tracking, {Period(start, end).label}",
                 "Shares are of client events that had ended by "
                 f"{as_of.isoformat(timespec='minutes')}.",
                 "## Per clinician per week",
                 markdown_table(weekly.drop(columns=["clinician_id"])),
                 "## Practice per week",
                 markdown_table(cp.completion_by_week(db, start, end, as_of=as_of,
                                                      by="practice", **who))]
    return "\n\n".join(parts) + "\n"


# -- html: the notebook, executed and converted ------------------------------------------------
def notebooks_dir() -> Path:
    """The project's ``notebooks/`` folder (next to the package in a source checkout)."""
    here = Path(__file__).resolve().parents[2] / "notebooks"
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


def _unpack(r: ReportRequest) -> tuple[str, date, date, datetime, dict[str, Any]]:
    return r.name, r.start, r.end, r.as_of, dict(r.filters)


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
