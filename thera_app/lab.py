"""``thera lab``: JupyterLab on the report notebooks, on loopback, with the database resolved.

Only the command line is built here (the core never imports Jupyter): the database path made
absolute for the kernels, the notebooks folder as JupyterLab's root, the server bound to
127.0.0.1, and nothing fetched from the internet (no news, no update check).
"""

from __future__ import annotations

import importlib.util
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from thera_analytics.domain.errors import PracticeError
from thera_analytics.reports.location import DEFAULT_DB, ENV_VAR, candidates, locate_database


def notebooks_folder() -> Path:
    """The project's ``notebooks/`` folder (beside the package in a source checkout)."""
    folder = Path(__file__).resolve().parents[1] / "notebooks"
    if not folder.is_dir():
        raise PracticeError(f"lab: the notebooks folder {folder} was not found; run `thera lab` "
                            "from a source checkout of thera-analytics")
    return folder


def resolve_lab_database(db: Path | None, *,
                         generate: Callable[[Path], None] | None = None) -> Path:
    """The database the notebooks open: ``db``, else ``$THERA_DB``, else the demo practice
    (generated in ``data/`` when it is not there yet and ``generate`` is given)."""
    if db is None and not os.environ.get(ENV_VAR):
        tried = candidates(DEFAULT_DB)
        existing = next((p for p in tried if p.is_file()), None)
        if existing is not None:
            return existing
        if generate is not None:
            target = tried[0]
            generate(target)
            return target
    return locate_database(db)


def lab_command(db: Path, *, port: int, open_browser: bool = True, folder: Path | None = None,
                extra: Sequence[str] = ()) -> tuple[list[str], dict[str, str]]:
    """The JupyterLab command and environment for ``db`` (absolute) on 127.0.0.1:``port``,
    opening ``folder`` (default: the project's notebooks)."""
    root = notebooks_folder() if folder is None else folder.resolve()
    if not root.is_dir():
        raise PracticeError(f"notebooks: {root} is not a folder")
    if importlib.util.find_spec("jupyterlab") is None:
        raise PracticeError("lab: JupyterLab is not installed in this environment; run "
                            "`bash scripts/setup.sh` (it installs the `lab` extra) or "
                            "`pip install -e '.[lab]'`")
    command = [
        sys.executable, "-m", "jupyterlab",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",  # the port asked for, or a clear error
        f"--ServerApp.root_dir={root}",
        f"--ServerApp.open_browser={open_browser}",
        # A closed network: no news feed, no update check, nothing fetched from elsewhere.
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        "--LabApp.extension_manager=readonly",  # no extension listing from PyPI
        *extra,
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        # Containers and fresh machines often run as root; JupyterLab refuses it unless told.
        command.insert(3, "--ServerApp.allow_root=True")
    env = dict(os.environ)
    env[ENV_VAR] = str(db)
    return command, env
