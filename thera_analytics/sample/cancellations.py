"""Why the sample practice's clients cancelled: a reason and the notice given for each client
marked Cancelled or Late cancellation, and for some no-shows (vectorised, one frame).

Cancelled places were called off a day to a fortnight ahead, late cancellations within the
last 24 hours; a no-show's reason is recorded after the session, when the client explains.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from thera_analytics.domain.attendance import Attendance

HOUR = 3600
# Seeded reasons (migration 009) and how often each is given.
REASONS = np.array(["client_illness", "clinician_illness", "transport", "forgot", "clash",
                    "weather", "work_or_school", "family_emergency", "practice_closed", "other"])
CANCELLED_P = [0.33, 0.04, 0.08, 0.05, 0.17, 0.04, 0.16, 0.08, 0.02, 0.03]
LATE_P = [0.38, 0.02, 0.16, 0.14, 0.08, 0.06, 0.08, 0.06, 0.0, 0.02]
NO_SHOW_P = [0.10, 0.0, 0.12, 0.62, 0.06, 0.02, 0.04, 0.03, 0.0, 0.01]
NO_SHOW_EXPLAINED = 0.4  # share of no-shows whose reason comes in later
OTHER_TEXTS = np.array(["Car broke down", "Moving house", "Funeral", "Childcare fell through",
                        "Court date", "Power cut at home"])


def sample_cancellations(
    rng: np.random.Generator, attendance: np.ndarray, values: list[str], starts: np.ndarray,
    created: np.ndarray, marked_at: np.ndarray, event_id: np.ndarray, client_id: np.ndarray,
    recorded_by: pd.arrays.IntegerArray, first_id: int, now: int,
) -> pd.DataFrame:
    """Rows of ``cancellations``, one per place (event_clients row) that needs or took a
    reason. Per-row inputs: ``attendance`` (index into ``values``, -1 unmarked), the session's
    ``starts``, when it was ``created`` and ``marked_at`` (epoch seconds), ids and who marked."""
    code = np.asarray(attendance)
    cancelled = code == values.index(Attendance.CANCELLED.value)
    late = code == values.index(Attendance.LATE_CANCELLATION.value)
    no_show = (code == values.index(Attendance.NO_SHOW.value)) & (
        rng.random(len(code)) < NO_SHOW_EXPLAINED)
    take = cancelled | late | no_show
    n = int(take.sum())
    c, lt, ns = cancelled[take], late[take], no_show[take]
    # Hours of notice: cancelled 24 h .. about two weeks (most within a few days), late 0-24 h;
    # never before the booking was made.
    notice = np.where(c, 24 + rng.gamma(1.6, 40, n), rng.uniform(0.5, 24, n))
    at = starts[take] - (notice * HOUR).astype(np.int64)
    at = np.maximum(at, created[take] + 60)
    at = np.where(ns, np.minimum(marked_at[take] + rng.integers(0, 48 * HOUR, n), now), at)
    reason = np.zeros(n, dtype=np.int64)  # index into REASONS
    for mask, p in ((c, CANCELLED_P), (lt, LATE_P), (ns, NO_SHOW_P)):
        reason[mask] = rng.choice(len(REASONS), size=int(mask.sum()), p=p)
    other = reason == len(REASONS) - 1
    text = np.full(n, -1, dtype=np.int64)  # index into OTHER_TEXTS, -1 for none
    text[other] = rng.integers(0, len(OTHER_TEXTS), int(other.sum()))
    kind = np.select([c, lt], [0, 1], 2)
    return pd.DataFrame({
        "id": first_id + np.arange(n, dtype=np.int64),
        "event_id": event_id[take],
        "client_id": client_id[take],
        "kind": pd.Categorical.from_codes(kind, ["cancelled", "late_cancellation", "no_show"]),
        "reason_code": pd.Categorical.from_codes(reason, REASONS),
        "reason_text": pd.Categorical.from_codes(text + 1, ["", *OTHER_TEXTS]),
        "notice_minutes": ((starts[take] - at) // 60).astype(np.int32),
        "recorded_at": pd.DatetimeIndex(at.astype("datetime64[s]")).tz_localize("UTC"),
        "recorded_by": recorded_by[take],
    })
