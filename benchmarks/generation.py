"""Generating the benchmark's practice in a child process, for a clean peak memory."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks.bench_sample import TABLES, cpu_seconds, peak_rss_mb
from benchmarks.measuring import (
    NOW,
)
from thera_analytics.store.database import Database


# -- generation (child process) --------------------------------------------------------------------
def generate_child(path: Path, clinicians: int, weeks: int, seed: int) -> dict[str, Any]:
    """Generate the practice into ``path`` in this (fresh) process; its time and peak memory."""
    from thera_analytics.sample import generate_practice

    before = peak_rss_mb()
    cpu = cpu_seconds()
    wall = time.perf_counter()
    with Database(path) as db:
        summary = generate_practice(db, clinicians=clinicians, weeks=weeks, seed=seed,
                                    now=NOW)
        cur = db.cursor()
        rows = {t: int(cur.execute(f"SELECT count(*) FROM {t}").fetchone()[0])  # type: ignore
                for t in TABLES}
    return {
        "seconds": round(summary.seconds, 3),
        "open_generate_close_seconds": round(time.perf_counter() - wall, 3),
        "cpu_seconds": round(cpu_seconds() - cpu, 3),
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "rss_before_mb": round(before, 1),
        "file_mb": round(path.stat().st_size / 1e6, 1),
        "rows": rows,
    }


def generate(path: Path, clinicians: int, weeks: int, seed: int) -> dict[str, Any]:
    """Run ``generate_child`` in a child process and read back what it measured."""
    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(root), *filter(None, [os.environ.get("PYTHONPATH")])])}
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.run", "--child-generate", str(path),
         "--clinicians", str(clinicians), "--weeks", str(weeks), "--seed", str(seed)],
        capture_output=True, text=True, check=False, env=env, cwd=root)
    if done.returncode != 0:
        raise SystemExit(f"generation failed:\n{done.stderr}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["child_process_seconds"] = round(time.perf_counter() - started, 3)
    return result
