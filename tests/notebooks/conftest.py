"""The fixed sample practice, generated once per test session for the notebook tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.notebooks.sample_practice import build_sample

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A closed database file holding the fixed sample practice."""
    return build_sample(tmp_path_factory.mktemp("sample") / "sample.duckdb")
