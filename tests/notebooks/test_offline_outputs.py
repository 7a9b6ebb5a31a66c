"""No executed notebook output and no HTML report names a CDN: everything is inlined."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from dashboards import notebook
from tests.notebooks.conftest import NOTEBOOKS
from tests.notebooks.sample_practice import AS_OF
from thera_analytics import reports
from thera_app import html_report as export

pytestmark = pytest.mark.slow


def cdn_names(nb: Any) -> list[tuple[int, str, list[str]]]:
    found = []
    for i, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            text = json.dumps(output)
            if names := notebook.names_cdn(text):
                found.append((i, cell.source[:40], names[:3]))
    return found


@pytest.mark.parametrize("name", ["attendance_report.ipynb", "unsigned_notes_backlog.ipynb",
                                  "practice_dashboard.ipynb", "cancellations.ipynb"])
def test_no_executed_output_names_a_cdn_host(name: str, sample_db: Path) -> None:
    """Run as in JupyterLab (interactive charts and widgets, inlined by the first cell)."""
    nb = export.execute_notebook(NOTEBOOKS / name, {"db_path": str(sample_db),
                                                     "as_of": AS_OF.isoformat()})
    outputs = [o for c in nb.cells for o in c.get("outputs", [])]
    assert any("application/javascript" in o.get("data", {}) for o in outputs)  # inlined JS
    assert cdn_names(nb) == []


def test_the_html_report_names_no_cdn_host_and_has_no_toolbar(sample_db: Path,
                                                              tmp_path: Path) -> None:
    out = tmp_path / "attendance.html"
    with reports.open_for_reading(sample_db) as db:
        export.write_report(db, "attendance", "html", out, start="2026-10-01",
                            end="2026-10-31", as_of=AS_OF)
    page = out.read_text(encoding="utf-8")
    assert notebook.names_cdn(page) == []
    assert page.count('"toolbar_location":null') >= 2  # each static chart, none interactive
    assert len(page) < 1_600_000  # BokehJS alone (1.27 MB), once; was 3.35 MB
    assert '<table class="thera-table">' in page and "Billable minutes" in page
    assert "Billable min<" not in page
