"""Age buckets of the unsigned-note backlog."""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class AgeBucket:
    label: str
    min_hours: float
    max_hours: float

    def contains(self, age_hours: float) -> bool:
        return self.min_hours <= age_hours < self.max_hours


AGE_BUCKETS: tuple[AgeBucket, ...] = (
    AgeBucket("<24 h", 0, 24),
    AgeBucket("24-48 h", 24, 48),
    AgeBucket("2-7 d", 48, 7 * 24),
    AgeBucket("7-14 d", 7 * 24, 14 * 24),
    AgeBucket(">14 d", 14 * 24, math.inf),
)

BUCKET_LABELS: tuple[str, ...] = tuple(b.label for b in AGE_BUCKETS)


def bucket_for(age_hours: float) -> str:
    """The label of the bucket an age (hours since the session ended) falls in."""
    for b in AGE_BUCKETS:
        if b.contains(age_hours):
            return b.label
    raise ValueError(f"negative age {age_hours}")
