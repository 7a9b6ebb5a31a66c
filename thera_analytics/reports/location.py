"""Where a practice database named by a reader is: ``THERA_DB``, ``--db`` or ``db_path``.

A notebook's kernel runs in ``notebooks/``, not where the analyst typed the command, so a
relative path is looked for in the current folder, then where the user started (``$PWD``,
which the kernel inherits from the shell), then the repository holding this package. An error
names every absolute path tried.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from thera_analytics.domain.errors import PracticeError

DEFAULT_DB = Path("data") / "demo.duckdb"
ENV_VAR = "THERA_DB"


def repository_root() -> Path | None:
    """The source checkout holding this package (None for an installed wheel)."""
    root = Path(__file__).resolve().parents[2]
    return root if (root / "pyproject.toml").is_file() else None


def candidates(value: str | os.PathLike[str], *, cwd: Path | None = None,
               env: Mapping[str, str] | None = None) -> list[Path]:
    """The absolute paths a database path may mean, in the order they are tried."""
    path = Path(value).expanduser()
    if path.is_absolute():
        return [path]
    env = os.environ if env is None else env
    bases = [cwd or Path.cwd()]
    if env.get("PWD"):
        bases.append(Path(env["PWD"]))
    root = repository_root()
    if root is not None:
        bases.append(root)
    found: list[Path] = []
    for base in bases:
        full = (base / path).resolve()
        if full not in found:
            found.append(full)
    return found


def locate_database(value: str | os.PathLike[str] | None = None, *, cwd: Path | None = None,
                    env: Mapping[str, str] | None = None) -> Path:
    """The absolute path of an existing practice database file.

    ``value`` None or empty means ``$THERA_DB``, else ``data/demo.duckdb``. Raises
    ``PracticeError`` (field ``db``) naming every absolute path tried when none exists.
    """
    env = os.environ if env is None else env
    if value is None or str(value).strip() == "":
        value = env.get(ENV_VAR) or DEFAULT_DB
    tried = candidates(value, cwd=cwd, env=env)
    for path in tried:
        if path.is_file():
            return path
    where = ", ".join(str(p) for p in tried)
    raise PracticeError(
        f"db: no practice database at {where}; generate one with "
        f"`thera sample --db {value}` (or `thera demo --no-serve`), or set {ENV_VAR} to the "
        "absolute path of a practice database")
