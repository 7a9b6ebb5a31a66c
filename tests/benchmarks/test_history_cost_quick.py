"""The event history cost benchmark runs at its smallest on both engines (CI's --quick run)."""

from __future__ import annotations

import json
from pathlib import Path

from benchmarks import history_cost


def test_history_cost_measures_saves_on_both_engines_and_reports_on_duckdb(
        tmp_path: Path, pg_url: str) -> None:
    history_cost.main(["--quick", "--engines", "duckdb", "postgresql", "--pg-url", pg_url,
                       "--out-dir", str(tmp_path)])
    doc = json.loads((tmp_path / "history_cost-3x8.json").read_text())
    assert list(doc["engines"]) == ["duckdb", "postgresql"]
    # By default the practice's history has a version per step each event went through, and
    # every report as of now read from it equalled the tables before anything was timed.
    assert doc["versions"]["kind"] == "realistic"
    assert doc["versions"]["versions_per_past_session"] > 3, doc["versions"]
    assert doc["as_of_now_equals_tables"] == list(history_cost.report_calls(None))  # type: ignore[arg-type]
    for engine, measured in doc["engines"].items():
        saves = measured["saves"]
        assert saves["saves_each"] == 10 and saves["with_history_ms"] > 0, engine
        # DuckDB works in this process, so its CPU time is timed too; PostgreSQL's is not.
        assert (saves["cpu_ratio"] is not None) == (engine == "duckdb"), engine
        sizes = measured["size"]
        assert sizes["event_history"]["rows"] >= sizes["events"]["rows"] > 0, engine
        assert sizes["first_visit_history"]["rows"] > 0, engine
    assert set(doc["engines"]["duckdb"]["as_of_reports"]) == set(
        history_cost.report_calls(None))  # type: ignore[arg-type]
    assert all(r["cpu_as_of_ms"] > 0 for r in doc["engines"]["duckdb"]["as_of_reports"].values())
    assert "as_of_reports" not in doc["engines"]["postgresql"]
    text = (tmp_path / "history_cost-3x8.md").read_text()
    assert "## duckdb" in text and "## postgresql" in text and "load average" in text
