"""Running the ``thera`` command line as a user would, in its own process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def thera_command() -> list[str]:
    """The installed ``thera`` script beside this Python, or the module where there is none."""
    script = Path(sys.executable).with_name("thera")
    return [str(script)] if script.exists() else [sys.executable, "-m", "thera_app.cli"]


def run_thera(args: list[str], cwd: Path, *, timeout: float = 120,
              env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``thera ARGS`` in ``cwd``, its output captured; no e-mail server configured (so no
    test sends mail by accident), with ``env`` added to this process's environment."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("THERA_SMTP")}
    environment.update(env or {})
    return subprocess.run([*thera_command(), *args], cwd=cwd, capture_output=True, text=True,
                          timeout=timeout, env=environment)
