"""Re-run the report notebooks against the fixed sample and store their outputs in place.

    .venv/bin/python -m tests.notebooks.refresh

Run it after changing a notebook or a report its cells call; then `pytest --nbval notebooks`
(see notebooks/README.md) checks that a fresh run reproduces what was stored.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from tests.notebooks.sample_practice import AS_OF, build_sample

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ("attendance_report.ipynb", "unsigned_notes_backlog.ipynb",
             "practice_dashboard.ipynb", "cancellations.ipynb")
UNSTORED = "# NBVAL_IGNORE_OUTPUT"


def keep_small(nb: nbformat.NotebookNode) -> None:
    """Store no output nbval ignores: charts, widgets and the set-up cell carry the inlined
    JavaScript libraries (megabytes) and random ids, and are drawn again by running."""
    for cell in nb.cells:
        if cell.cell_type == "code" and cell.source.lstrip().startswith(UNSTORED):
            cell.outputs = []
            cell.execution_count = None


def refresh(names: tuple[str, ...] = NOTEBOOKS) -> None:
    with tempfile.TemporaryDirectory(prefix="thera-refresh-") as tmp:
        os.environ["THERA_DB"] = str(build_sample(Path(tmp) / "sample.duckdb"))
        os.environ["THERA_AS_OF"] = AS_OF.isoformat()
        for name in names:
            path = ROOT / "notebooks" / name
            nb = nbformat.read(path, as_version=4)
            NotebookClient(nb, timeout=600, kernel_name="python3", record_timing=False,
                           resources={"metadata": {"path": str(path.parent)}}).execute()
            keep_small(nb)
            nbformat.write(nb, path)
            print(f"refreshed {path.relative_to(ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    refresh(tuple(sys.argv[1:]) or NOTEBOOKS)
