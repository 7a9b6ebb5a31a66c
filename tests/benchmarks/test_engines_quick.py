"""The engines benchmark on its own: it keeps the generated practice and reuses it unchanged."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _engines(practice: Path, out: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "benchmarks.engines", "--quick", "--practice", str(practice),
         "--out-dir", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=900, check=False)


def test_the_engines_run_keeps_its_practice_and_reuses_it_unchanged(tmp_path: Path) -> None:
    practice = tmp_path / "kept.duckdb"
    first = _engines(practice, tmp_path / "first")
    assert first.returncode == 0, first.stderr[-3000:]
    assert practice.exists() and "generating 3 clinicians x 8 weeks" in first.stderr
    kept = hashlib.sha256(practice.read_bytes()).hexdigest()

    again = _engines(practice, tmp_path / "again")
    assert again.returncode == 0, again.stderr[-3000:]
    doc = json.loads((tmp_path / "again" / "engines-quick.json").read_text())
    assert doc["generation"] == {"reused": "kept.duckdb"}
    # The saves measured went into a working copy, not the kept practice.
    assert hashlib.sha256(practice.read_bytes()).hexdigest() == kept
    measured = {(r["engine"], r["measure"]) for r in doc["rows"]}
    assert measured == {(e, m) for e in ("duckdb", "postgresql")
                        for m in ("save", "clinician_week", "practice_week", "snapshot")}
    assert all(r["median_ms"] > 0 for r in doc["rows"])
    # What PostgreSQL read for the week, its floor and the save's pre-fill is recorded.
    scans = doc["postgresql_scans"]
    assert {"clinician_week", "clinician_week_floor", "save: plan_prefill"} <= set(scans)
    assert all(any("Scan" in node for node in found) for found in scans.values())
