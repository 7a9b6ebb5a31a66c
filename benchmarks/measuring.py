"""What every benchmark shares: the sizes, the fixed instant, the targets, and how a
measurement is repeated and timed."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import numpy as np

from thera_analytics.reports.period import Period

LARGE = (200, 260)
QUICK = (3, 8)
SEED = 1
# A fixed "now" makes every run measure the same practice: a Friday afternoon in Sydney.
NOW = datetime(2026, 6, 12, 6, 0, tzinfo=UTC)
MONTH = Period.month(2026, 5)  # the last whole month before NOW
# The backlog's month is NOW's own: a practice that chases its notes has no open ones left in
# the month before (every note is signed within three weeks), so that month would measure nothing.
BACKLOG_MONTH = Period.month(2026, 6)

TARGETS = {
    "pandas_over_ours": 5.0,  # at least
    "sqlite_over_ours": 10.0,  # at least
    "ours_over_floor": 2.0,  # at most
    "clinician_week_ms": 10.0,
    "practice_week_ms": 1000.0,
    "save_ms": 10.0,
}
REPORTS = ("attendance", "backlog")
SCOPES = ("history", "month")
IMPLEMENTATIONS = ("ours", "ours_sql", "pandas", "sqlite", "floor")
PRACTICE_WEEK_PARTS = ("query", "view", "panel", "total")


@dataclass(frozen=True)
class Plan:
    """How many times to repeat each kind of measurement."""

    repeats: int  # our reports and the floor
    baseline_repeats: int  # pandas and SQLite
    budget_s: float  # stop repeating a measurement once it has taken this long (>= 1 run)
    calendar_weeks: int
    practice_weeks: int
    saves: int

    @classmethod
    def for_size(cls, quick: bool) -> Plan:
        if quick:
            return cls(repeats=3, baseline_repeats=2, budget_s=5, calendar_weeks=20,
                       practice_weeks=2, saves=10)
        return cls(repeats=7, baseline_repeats=5, budget_s=30, calendar_weeks=200,
                   practice_weeks=5, saves=200)


# -- timing ----------------------------------------------------------------------------------------
@dataclass
class Timing:
    """Wall and CPU (all threads) seconds of each timed run of one measurement."""

    label: str
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    note: str = ""

    def summary(self) -> dict[str, Any]:
        walls = sorted(self.wall)
        return {
            "label": self.label,
            "runs": len(walls),
            "median_ms": round(1000 * statistics.median(walls), 3),
            "p95_ms": round(1000 * _percentile(walls, 95), 3),
            "min_ms": round(1000 * walls[0], 3),
            "cpu_median_ms": round(1000 * statistics.median(self.cpu), 3),
            "note": self.note,
        }


def _percentile(sorted_values: list[float], pct: float) -> float:
    return float(np.percentile(sorted_values, pct, method="nearest"))


def timed(timing: Timing, fn: Callable[[], Any]) -> Any:
    """Run ``fn`` once, adding its wall and CPU time to ``timing``; return its result."""
    cpu = time.process_time()
    wall = time.perf_counter()
    result = fn()
    timing.wall.append(time.perf_counter() - wall)
    timing.cpu.append(time.process_time() - cpu)
    return result



# -- reports and baselines -------------------------------------------------------------------------
@dataclass
class Session:
    """Everything one run measures, as it goes."""

    plan: Plan
    timings: dict[str, Timing] = field(default_factory=dict)
    agreement: dict[str, dict[str, Any]] = field(default_factory=dict)

    def once(self, key: str, label: str, fn: Callable[[], Any], note: str = "") -> Any:
        timing = Timing(label, note=note)
        result = timed(timing, fn)
        self.timings[key] = timing
        return result

    def rounds(self, contenders: dict[str, Contender]) -> dict[str, Any]:
        """Time several ways of doing one thing in interleaved rounds (one run of each per
        round), so a machine that gets busier or quieter affects them alike; returns each
        one's last result."""
        results = {key: c.fn() for key, c in contenders.items() if c.warmup}
        timings = {key: Timing(c.label, note=c.note) for key, c in contenders.items()}
        spent = dict.fromkeys(contenders, 0.0)
        for i in range(max(c.repeats for c in contenders.values())):
            for key, c in contenders.items():
                if i >= c.repeats or (i > 0 and spent[key] > self.plan.budget_s):
                    continue
                results[key] = timed(timings[key], c.fn)
                spent[key] += timings[key].wall[-1]
        self.timings.update(timings)
        return results


@dataclass(frozen=True)
class Contender:
    """One way of producing a measured result."""

    label: str
    fn: Callable[[], Any]
    repeats: int
    warmup: bool = True
    note: str = ""
