"""A run as one JSON document and as Markdown tables, with what it ran on."""

from __future__ import annotations

import os
import platform
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from benchmarks.measuring import (
    IMPLEMENTATIONS,
    PRACTICE_WEEK_PARTS,
    REPORTS,
    TARGETS,
    Session,
)
from benchmarks.report_race import Scope


def summarise(s: Session, periods: list[Scope], size: dict, generation: dict,
              meta: dict) -> dict[str, Any]:
    """The run as one JSON-able document: measurements, report ratios, targets."""
    measurements = {key: t.summary() for key, t in s.timings.items()}

    def median(key: str) -> float:
        return float(measurements[key]["median_ms"])

    reports, targets = [], []
    for report in REPORTS:
        for scope in periods:
            base = f"{report}.{scope.name}"
            row: dict[str, Any] = {"report": report, "scope": scope.name,
                                   "period": f"{scope.period.start}..{scope.period.end}"}
            for impl in IMPLEMENTATIONS:
                row[f"{impl}_ms"] = median(f"{base}.{impl}")
            for mine in ("ours", "ours_sql"):
                row[f"pandas_over_{mine}"] = round(row["pandas_ms"] / row[f"{mine}_ms"], 2)
                row[f"sqlite_over_{mine}"] = round(row["sqlite_ms"] / row[f"{mine}_ms"], 2)
                row[f"{mine}_over_floor"] = round(row[f"{mine}_ms"] / row["floor_ms"], 2)
            row["agreement"] = {impl: s.agreement[f"{base}.{impl}"]
                                for impl in ("pandas", "sqlite", "floor")}
            reports.append(row)
            what = f"{report}, {scope.name}"
            targets += [
                _target(f"{what}: pandas / ours", row["pandas_over_ours"], ">=",
                        TARGETS["pandas_over_ours"], "x"),
                _target(f"{what}: SQLite / ours", row["sqlite_over_ours"], ">=",
                        TARGETS["sqlite_over_ours"], "x"),
                _target(f"{what}: ours / floor", row["ours_over_floor"], "<=",
                        TARGETS["ours_over_floor"], "x"),
            ]
    targets += [
        _target("clinician week, median", median("calendar.clinician_week"), "<",
                TARGETS["clinician_week_ms"], "ms"),
        _target("practice week built, median", median("practice_week.total"), "<",
                TARGETS["practice_week_ms"], "ms"),
        _target("save a plan, median", median("save.plan"), "<", TARGETS["save_ms"], "ms"),
        _target("save an outcome, median", median("save.outcome"), "<", TARGETS["save_ms"],
                "ms"),
    ]
    return {**meta, "size": size, "generation": generation, "measurements": measurements,
            "reports": reports, "targets": targets}


def _target(what: str, value: float, op: str, bound: float, unit: str) -> dict[str, Any]:
    met = {">=": value >= bound, "<=": value <= bound, "<": value < bound}[op]
    return {"what": what, "value": round(value, 2), "op": op, "bound": bound, "unit": unit,
            "met": bool(met)}


def machine() -> dict[str, Any]:
    """What the run ran on (no paths, no host name)."""
    model = ""
    memory_gb = None
    try:
        text = Path("/proc/cpuinfo").read_text()
        model = next((ln.split(":", 1)[1].strip() for ln in text.splitlines()
                      if ln.startswith("model name")), "")
        mem = Path("/proc/meminfo").read_text().split()
        memory_gb = round(int(mem[mem.index("MemTotal:") + 1]) / 1024 / 1024, 1)
    except (OSError, ValueError, IndexError):
        pass
    return {
        "cpu": model or platform.processor() or platform.machine(),
        "cores": os.cpu_count(),
        "memory_gb": memory_gb,
        "os": platform.platform(terse=True),
        "python": platform.python_version(),
        "duckdb": duckdb.__version__,
        "pandas": pd.__version__,
        "numpy": np.__version__,
        "sqlite": sqlite3.sqlite_version,
    }


def revision() -> dict[str, Any]:
    root = Path(__file__).resolve().parent.parent
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=root,
                                capture_output=True, text=True, check=True).stdout.strip()
        changed = subprocess.run(
            ["git", "status", "--porcelain", "--", "thera_analytics", "dashboards"], cwd=root,
            capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return {"commit": None, "local_changes": None}
    return {"commit": commit, "local_changes": bool(changed)}



# -- Markdown --------------------------------------------------------------------------------------
def _ms(value: float) -> str:
    if value >= 100:
        return f"{value:,.0f}"
    if value >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def _ratio(value: float, op: str, bound: float) -> str:
    met = value >= bound if op == ">=" else value <= bound
    return f"{value:,.1f}× {'✓' if met else '✗'}"


def markdown(doc: dict[str, Any]) -> str:
    """The run as Markdown tables (the README shows the large run's)."""
    m, g, size, mach = doc["measurements"], doc["generation"], doc["size"], doc["machine"]
    rev = doc["revision"]
    lines = [
        f"# Benchmark: {doc['clinicians']} clinicians × {doc['weeks']} weeks",
        "",
        f"Run {doc['started_at']} ({doc['seconds']:.0f} s in all) on {mach['cpu']}, "
        f"{mach['cores']} cores, {mach['memory_gb']} GB; {mach['os']}; Python {mach['python']}, "
        f"DuckDB {mach['duckdb']}, pandas {mach['pandas']}, SQLite {mach['sqlite']}. "
        f"Commit {rev['commit']}{' with local changes' if rev['local_changes'] else ''}. "
        f"Load average {doc['load_average']['start'][0]} at the start, "
        f"{doc['load_average']['end'][0]} at the end: other work shared the machine, so each "
        "figure is a median of repeated runs (CPU time in the last table).",
        "",
        f"Practice: {size['events']:,} events, {size['client_sessions']:,} client sessions, "
        f"{size['clients']:,} clients; history {size['history']}, month {size['month']}"
        f" (the backlog's: {size.get('backlog_month', size['month'])}), "
        f"as of {size['as_of']}.",
        "",
        "## Sample generation (in a child process)",
        "",
    ]
    if g.get("reused"):
        lines.append("Not measured: an existing database was reused.")
    else:
        lines += [
            "| generate_practice | CPU | peak RSS | RSS before generating | database file |",
            "|---:|---:|---:|---:|---:|",
            f"| {g['seconds']:.1f} s | {g['cpu_seconds']:.1f} s | {g['peak_rss_mb']:,.0f} MB | "
            f"{g['rss_before_mb']:,.0f} MB | {g['file_mb']:,.0f} MB |",
        ]
    lines += [
        "",
        "## Reports against baselines (median ms; ratios from this run)",
        "",
        "| report | period | ours | ours, SQL only | pandas | SQLite | floor | pandas / ours "
        "(≥5) | SQLite / ours (≥10) | ours / floor (≤2) |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in doc["reports"]:
        lines.append(
            f"| {r['report']} | {r['scope']} | {_ms(r['ours_ms'])} | {_ms(r['ours_sql_ms'])} | "
            f"{_ms(r['pandas_ms'])} | {_ms(r['sqlite_ms'])} | {_ms(r['floor_ms'])} | "
            f"{_ratio(r['pandas_over_ours'], '>=', 5)} | "
            f"{_ratio(r['sqlite_over_ours'], '>=', 10)} | "
            f"{_ratio(r['ours_over_floor'], '<=', 2)} |")
    lines += [
        "",
        "*Ours* is the report function as notebooks and dashboards call it (query, then pandas "
        "shaping into one table per breakdown); *SQL only* is its packaged query into a "
        "DataFrame. The same ratios against the SQL alone:",
        "",
        "| report | period | pandas / SQL | SQLite / SQL | SQL / floor | groups checked |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for r in doc["reports"]:
        groups = r["agreement"]["pandas"]["groups"]
        lines.append(
            f"| {r['report']} | {r['scope']} | {_ratio(r['pandas_over_ours_sql'], '>=', 5)} | "
            f"{_ratio(r['sqlite_over_ours_sql'], '>=', 10)} | "
            f"{_ratio(r['ours_sql_over_floor'], '<=', 2)} | {groups:,} |")
    lines += [
        "",
        "## Calendar and saves",
        "",
        "| measurement | median ms | p95 ms | runs | target | met |",
        "|---|---:|---:|---:|---|---|",
    ]
    target_of = {"calendar.clinician_week": "< 10 ms", "practice_week.total": "< 1,000 ms",
                 "save.plan": "< 10 ms", "save.outcome": "< 10 ms"}
    for key in ("calendar.clinician_week", *[f"practice_week.{p}" for p in PRACTICE_WEEK_PARTS],
                "save.plan", "save.outcome"):
        t = m[key]
        target = target_of.get(key, "")
        met = ""
        if target:
            bound = float(target.split()[1].replace(",", ""))
            met = "✓" if t["median_ms"] < bound else "✗"
        lines.append(f"| {t['label']} | {_ms(t['median_ms'])} | {_ms(t['p95_ms'])} | "
                     f"{t['runs']} | {target} | {met} |")
    lines += [
        "",
        "## Not in the ratios: loading and preparing the baselines",
        "",
        "| pandas: load tables | SQLite: copy in | SQLite: indexes | floor: pre-join |",
        "|---:|---:|---:|---:|",
        f"| {_ms(m['pandas.load']['median_ms'])} ms | {_ms(m['sqlite.copy']['median_ms'])} ms | "
        f"{_ms(m['sqlite.index']['median_ms'])} ms | {_ms(m['floor.build']['median_ms'])} ms |",
    ]
    lines += [
        "",
        "## Every measurement",
        "",
        "| key | what | runs | median ms | p95 ms | min ms | CPU median ms | note |",
        "|---|---|---:|---:|---:|---:|---:|---|",
    ]
    for key, t in m.items():
        lines.append(f"| `{key}` | {t['label']} | {t['runs']} | {_ms(t['median_ms'])} | "
                     f"{_ms(t['p95_ms'])} | {_ms(t['min_ms'])} | {_ms(t['cpu_median_ms'])} | "
                     f"{t['note']} |")
    return "\n".join(lines) + "\n"
