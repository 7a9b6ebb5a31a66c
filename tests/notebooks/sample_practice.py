"""The fixed sample practice the report notebooks are run and checked against.

The notebooks' stored outputs come from this practice; their parameters cells default to its
period (October 2026) and instant (20 November 2026, 18:00 UTC). Change it only together with
re-running the notebooks (see notebooks/README.md).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from thera_analytics.sample.generator import generate_practice
from thera_analytics.store.database import Database

SAMPLE = {
    "clinicians": 6,
    "weeks": 16,
    "seed": 7,
    "end": date(2026, 11, 20),
    "now": datetime(2026, 11, 20, 18, 0, tzinfo=UTC),
    "time_zone": "Australia/Sydney",
}
AS_OF = SAMPLE["now"]


def build_sample(path: Path) -> Path:
    """Generate the sample practice into a new database file (about half a second)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with Database(path) as db:
        generate_practice(db, **SAMPLE)  # type: ignore[arg-type]
    return path
