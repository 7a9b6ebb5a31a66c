"""The load benchmark works end to end with one user per configuration (no timing asserted)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.ui


@pytest.mark.parametrize("kind", ["wire", "browser"])
def test_one_user_saves_on_both_set_ups_and_no_save_is_lost(tmp_path: Path, kind: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.load", "--users", "1", "--seconds", "1",
         "--users-kind", kind, "--out-dir", str(tmp_path)],
        cwd=ROOT, capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    doc = json.loads((tmp_path / "load.json").read_text())
    rows = {(r["engine"], r["processes"]): r for r in doc["rows"]}
    assert set(rows) == {("duckdb", 1), ("postgresql", 2)}
    assert doc["users_kind"] == kind
    for row in rows.values():
        assert row["errors"] == 0, row["error_examples"]
        assert row["saves"] >= 1 and row["pages"] >= 1
        assert row["lost_saves"] == 0
        assert 0 < row["save_p50_ms"] <= row["save_p95_ms"]
    assert "| 1 | 1 process, DuckDB file |" in (tmp_path / "load.md").read_text()
