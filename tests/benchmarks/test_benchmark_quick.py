"""The benchmark command works end to end at the quick size (no timing is asserted)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks import run

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def quick_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("bench")


@pytest.fixture(scope="module")
def quick_run(quick_dir: Path) -> tuple[dict, str]:
    out = quick_dir
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.run", "--quick", "--out-dir", str(out),
         "--db", str(out / "quick.duckdb")],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    return (json.loads((out / "quick.json").read_text()), (out / "quick.md").read_text())


def expected_keys() -> list[str]:
    keys = [f"{report}.{scope}.{impl}" for report in run.REPORTS for scope in run.SCOPES
            for impl in run.IMPLEMENTATIONS]
    keys += ["pandas.load", "sqlite.copy", "sqlite.index", "floor.build",
             "calendar.clinician_week", "save.plan", "save.outcome"]
    keys += [f"practice_week.{part}" for part in run.PRACTICE_WEEK_PARTS]
    return keys


def test_every_measurement_is_in_the_json(quick_run: tuple[dict, str]) -> None:
    doc, _ = quick_run
    measurements = doc["measurements"]
    missing = [k for k in expected_keys() if k not in measurements]
    assert not missing
    for key in expected_keys():
        m = measurements[key]
        assert m["runs"] >= 1, key
        assert 0 < m["min_ms"] <= m["median_ms"] <= m["p95_ms"], key
    assert doc["size"]["events"] > 0 and doc["size"]["client_sessions"] > 0
    gen = doc["generation"]
    assert gen["seconds"] > 0 and gen["peak_rss_mb"] >= gen["rss_before_mb"] > 0
    assert gen["rows"]["events"] == doc["size"]["events"]


def test_report_ratios_and_targets_are_worked_out(quick_run: tuple[dict, str]) -> None:
    doc, _ = quick_run
    rows = {(r["report"], r["scope"]) for r in doc["reports"]}
    assert rows == {(rep, scope) for rep in run.REPORTS for scope in run.SCOPES}
    for r in doc["reports"]:  # ratios are kept to two decimals
        close = {"rel": 0.01, "abs": 0.005}
        assert r["pandas_over_ours"] == pytest.approx(r["pandas_ms"] / r["ours_ms"], **close)
        assert r["ours_over_floor"] == pytest.approx(r["ours_ms"] / r["floor_ms"], **close)
    assert len(doc["targets"]) == 3 * len(doc["reports"]) + 4
    assert all(isinstance(t["met"], bool) for t in doc["targets"])


def test_baselines_agree_with_our_reports(quick_run: tuple[dict, str]) -> None:
    """Same groups and same counts: the benchmark asserts it, and records what matched."""
    doc, _ = quick_run
    for r in doc["reports"]:
        agreement = r["agreement"]
        assert set(agreement) == {"pandas", "sqlite", "floor"}
        measure = "client_sessions" if r["report"] == "attendance" else "notes"
        figures = {(a["groups"], a[measure]) for a in agreement.values()}
        assert len(figures) == 1, (r["report"], r["scope"], agreement)
        groups, count = figures.pop()
        assert groups > 0 and count > 0


def test_markdown_shows_every_table(quick_run: tuple[dict, str]) -> None:
    doc, text = quick_run
    for heading in ("## Sample generation", "## Reports against baselines",
                    "## Calendar and saves", "## Not in the ratios", "## Every measurement"):
        assert heading in text
    for key in expected_keys():
        assert f"`{key}`" in text
    assert doc["machine"]["cpu"] in text
    assert str(ROOT) not in text and str(ROOT) not in json.dumps(doc)


def test_the_profiles_of_the_slow_parts_are_written(quick_run: tuple[dict, str],
                                                     quick_dir: Path, tmp_path: Path) -> None:
    """benchmarks.profiles runs on the database the benchmark generated; no paths leak."""
    out = tmp_path / "profiles.md"
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.profiles", "--db", str(quick_dir / "quick.duckdb"),
         "--out", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    text = out.read_text()
    for title in ("One clinician's week", "Attendance report for one month", "saved"):
        assert title in text
    assert "week_events" in text and "save_outcome" in text
    assert str(ROOT) not in text


def test_saves_weeks_and_the_snapshot_run_on_both_engines_against_their_floors(
        quick_run: tuple[dict, str]) -> None:
    doc, text = quick_run
    rows = {(r["engine"], r["measure"]): r for r in doc["engines"]}
    measures = ("save", "clinician_week", "practice_week", "snapshot")
    assert set(rows) == {(e, m) for e in ("duckdb", "postgresql") for m in measures}
    for (engine, measure), r in rows.items():
        assert r["runs"] >= 1 and 0 < r["median_ms"] <= r["p95_ms"], (engine, measure)
        if (engine, measure) == ("duckdb", "snapshot"):
            assert r["floor_ms"] is None  # DuckDB's own COPY FROM DATABASE is the copy
        else:
            assert r["floor_ms"] > 0
            assert r["over_floor"] == pytest.approx(r["median_ms"] / r["floor_ms"], rel=0.01,
                                                    abs=0.005)
    assert "## Both engines" in text
