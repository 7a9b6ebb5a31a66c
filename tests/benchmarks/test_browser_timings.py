"""The browser-timings benchmark runs end to end at a small size (no timing is asserted)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.ui, pytest.mark.slow]


def test_every_measurement_and_its_floor_is_taken_in_one_run(tmp_path: Path) -> None:
    out = tmp_path / "timings.json"
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.browser_timings", "--clinicians", "2", "--weeks",
         "2", "--repeats", "2", "--out", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=900, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    seconds = json.loads(out.read_text())["seconds"]
    assert set(seconds) == {"sign-in to week drawn", "click on a session to its editor",
                            "the same click once the editor is built"}
    for measured in seconds.values():
        assert len(measured["ours"]) == len(measured["floor"]) == 2
        assert all(s > 0 for s in measured["ours"] + measured["floor"])
    assert "| sign-in to week drawn |" in done.stdout
    assert "| click on a session to its editor |" in done.stdout
    assert "| the same click once the editor is built |" in done.stdout
    assert "load average (1 min)" in done.stdout


def test_the_quick_mode_runs_it_small() -> None:
    done = subprocess.run([sys.executable, "-m", "benchmarks.browser_timings", "--quick"],
                          cwd=ROOT, capture_output=True, text=True, timeout=900, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "2 clinicians x 2 weeks, 2 repeats" in done.stdout
