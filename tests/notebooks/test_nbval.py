"""CI runs the notebooks with nbval in strict mode; this test runs exactly that command.

    pytest --nbval notebooks --nbval-sanitize-with tests/nbval_sanitize.cfg --nbval-current-env

(notebooks/conftest.py generates the fixed sample and sets THERA_DB for the kernels).
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.notebooks.conftest import ROOT

pytestmark = pytest.mark.slow

NBVAL = ["--nbval", "notebooks", "--nbval-sanitize-with", "tests/nbval_sanitize.cfg",
         "--nbval-current-env", "-p", "no:cacheprovider", "-q"]


def test_notebooks_reproduce_their_stored_outputs() -> None:
    run = subprocess.run([sys.executable, "-m", "pytest", *NBVAL], cwd=ROOT,
                         capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stdout[-5000:] + run.stderr[-2000:]
    assert " passed" in run.stdout and "failed" not in run.stdout
