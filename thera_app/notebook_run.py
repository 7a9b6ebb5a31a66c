"""Run a report notebook with its parameters, through papermill.

papermill injects the values after the cell tagged ``parameters`` (in a cell tagged
``injected-parameters``, replacing an earlier one) and executes the notebook with nbclient.
Only the names the parameters cell declares are passed, so one set of values fits every report
notebook. The kernel is started here, so that it gets the environment the report asks for and
its own log lines (a warning about its local TCP transport on every start) go to a file rather
than to the terminal of whoever asked for a report.
"""

from __future__ import annotations

import ast
import logging
import os
import subprocess
from pathlib import Path
from typing import Any

from thera_analytics.domain.errors import PracticeError

INJECTED_TAG = "injected-parameters"  # papermill's tag for the cell it adds


def declared_parameters(notebook: Path) -> set[str]:
    """The names the notebook's ``parameters`` cell assigns (read with Python's own parser:
    ``papermill.inspect_notebook`` skips lines whose comment holds a semicolon)."""
    import nbformat

    nb = nbformat.read(notebook, as_version=4)
    cell = next((c for c in nb.cells
                 if "parameters" in c.get("metadata", {}).get("tags", [])), None)
    if cell is None:
        raise PracticeError("html: the notebook has no cell tagged 'parameters'")
    names: set[str] = set()
    for node in ast.walk(ast.parse(cell.source)):
        if isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
    return names


def execute_notebook(notebook: Path, values: dict[str, Any], *, timeout: int = 600,
                     env: dict[str, str] | None = None, log: Path | None = None) -> Any:
    """Run ``notebook`` with ``values`` injected; return the executed copy (not written).

    ``env`` is added to the kernel's environment; the kernel's log goes to ``log`` (or
    nowhere), and a kernel that dies has its log in the error.
    """
    import papermill
    from jupyter_client.manager import KernelManager
    from nbclient.exceptions import DeadKernelError

    declared = declared_parameters(notebook)
    parameters = {k: v for k, v in values.items() if k in declared}
    kernel = KernelManager(kernel_name="python3")
    with open(log if log is not None else os.devnull, "w", encoding="utf-8") as stderr:
        kernel.start_kernel(env={**os.environ, **(env or {})}, cwd=str(notebook.parent),
                            stderr=stderr, stdout=subprocess.DEVNULL)
        try:
            return papermill.execute_notebook(
                str(notebook), None, parameters=parameters, km=kernel, kernel_name="python3",
                cwd=str(notebook.parent), progress_bar=False, log_output=False,
                execution_timeout=timeout, request_save_on_cell_execute=False)
        except DeadKernelError as exc:
            detail = log.read_text(encoding="utf-8")[-2000:] if log is not None else ""
            raise PracticeError(f"html: the notebook's kernel died ({exc}) {detail}") from None
        finally:
            kernel.shutdown_kernel(now=True)


# papermill logs each cell it runs at INFO; a report prints only what it wrote.
logging.getLogger("papermill").setLevel(logging.WARNING)
