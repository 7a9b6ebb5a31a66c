"""Overlaps: the clinician's live events at the time of the sessions being saved, which the
clinician may save over anyway."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from thera_analytics.domain.errors import PracticeError
from thera_analytics.store import events
from thera_analytics.store.database import Cursor


@dataclass(frozen=True)
class Overlap:
    event_id: int
    kind: str
    title: str
    start: datetime
    end: datetime


class OverlapError(PracticeError):
    """The clinician already has events at that time; the caller may save anyway."""

    def __init__(self, overlaps: list[Overlap], clashing: int = 1) -> None:
        first = overlaps[0]
        more = f" and {len(overlaps) - 1} more" if len(overlaps) > 1 else ""
        super().__init__(
            f"start: overlaps event {first.event_id} ({first.kind}, "
            f"{first.start:%Y-%m-%d %H:%M}-{first.end:%H:%M} UTC){more}; save anyway to proceed"
        )
        self.overlaps = overlaps
        self.clashing = clashing  # how many of the sessions being saved clash


def clashing_spans(overlaps: list[Overlap], spans: list[tuple[datetime, datetime]]) -> int:
    """How many of ``spans`` (the sessions being saved) overlap one of ``overlaps``."""
    return sum(any(o.start < e and o.end > s for o in overlaps) for s, e in spans)


def find_overlaps(cur: Cursor, clinician_id: int, spans: list[tuple[datetime, datetime]],
                  exclude: tuple[int, ...] = ()) -> list[Overlap]:
    """Live events of the clinician that overlap any of ``spans``."""
    if not spans:
        return []
    lo, hi = min(s for s, _ in spans), max(e for _, e in spans)
    candidates = events.overlap_candidates(cur, clinician_id, lo, hi)
    rows = [r for r in candidates if any(r[3] < e and r[4] > s for s, e in spans)]
    return [Overlap(*r) for r in rows if r[0] not in exclude]
