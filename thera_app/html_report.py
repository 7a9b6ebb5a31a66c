"""HTML reports: the report's notebook executed with its parameters and converted to one page.

papermill runs the notebook with the report's parameters (``notebook_run``) and nbconvert turns
it into one page with BokehJS and Panel's stylesheets embedded, so it opens offline
(``report_page``). This runs a Jupyter kernel, so it lives here in the composition root, not in
the core: ``thera report --html`` passes ``render_html`` to
``thera_analytics.reports.export.write_report``.
"""

from __future__ import annotations

import sysconfig
import tempfile
from pathlib import Path
from typing import Any

from thera_analytics.domain.errors import PracticeError, ValidationError
from thera_analytics.reports.export import ReportRequest
from thera_analytics.reports.export import write_report as write_core_report
from thera_analytics.reports.source import Source
from thera_app.notebook_run import execute_notebook
from thera_app.report_page import notebook_html

# The notebook that renders each report.
NOTEBOOKS: dict[str, str] = {
    "attendance": "attendance_report.ipynb",
    "backlog": "unsigned_notes_backlog.ipynb",
    "completion": "unsigned_notes_backlog.ipynb",  # its "Completion tracking" section
    "cancellations": "cancellations.ipynb",
}
STATIC_CHARTS_ENV = "THERA_CHARTS"  # read by dashboards.notebook.setup() in the kernel


def write_report(db: Source, name: str, fmt: str, out: str | Path | None = None,
                 **options: Any) -> Path | None:
    """``export.write_report`` with HTML pages rendered from the notebooks."""
    return write_core_report(db, name, fmt, out, html=render_html, **options)


def notebooks_dir() -> Path:
    """The report notebooks: the source checkout's ``notebooks/`` folder (next to the package),
    else the copy an install puts in ``share/thera-analytics/notebooks`` of its prefix."""
    places = [Path(__file__).resolve().parents[1] / "notebooks",
              Path(sysconfig.get_path("data")) / "share" / "thera-analytics" / "notebooks"]
    for place in places:
        if all((place / name).is_file() for name in NOTEBOOKS.values()):
            return place
    raise PracticeError("html: the report notebooks were not found (looked in "
                        + " and ".join(str(p) for p in places) + ")")


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
