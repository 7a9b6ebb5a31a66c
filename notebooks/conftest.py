"""nbval runs the report notebooks against the fixed sample practice, generated here.

``pytest --nbval notebooks`` loads this file first: it generates the sample into a temporary
folder and points ``THERA_DB`` at it, and pins ``THERA_AS_OF`` to the sample's "now". The notebook kernels nbval starts inherit this process's
environment, and the notebooks' parameters cells read ``THERA_DB``.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # `pytest notebooks` does not put the project on sys.path
    sys.path.insert(0, str(ROOT))

from tests.notebooks.sample_practice import AS_OF, build_sample  # noqa: E402

_FOLDER = Path(tempfile.mkdtemp(prefix="thera-nbval-"))


def pytest_configure(config: pytest.Config) -> None:
    os.environ["THERA_DB"] = str(build_sample(_FOLDER / "sample.duckdb"))
    # The instant measured, and the "today" the default periods count back from: pinned, so
    # the stored outputs do not depend on the day the tests run.
    os.environ["THERA_AS_OF"] = AS_OF.isoformat()


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(_FOLDER, ignore_errors=True)
