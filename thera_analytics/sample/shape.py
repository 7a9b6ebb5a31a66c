"""The sample practice's shape: its limits, the slot grid's size, the shares of kinds,
attendance, statuses and signing it draws from, and the columns every part builds with."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from thera_analytics.domain.attendance import Attendance, SessionStatus
from thera_analytics.domain.details import Channel, RecipientKind
from thera_analytics.domain.kinds import EventKind
from thera_analytics.sample import names

MAX_CLINICIANS = 1000
MAX_WEEKS = 520
MAX_WEEKS_AHEAD = 52
DEMO_PASSWORD = "demo"

DAYS = 5
HOURS = 10  # slots start 08:00 .. 17:00
FIRST_HOUR = 8
SLOTS = DAYS * HOURS
SESSION_MINUTES = 50
CHUNK = 250_000  # rows of a big table built and loaded at once: bounds the memory used
TEAM_SIZE = 8
IND_LANES = 40
GROUP_LANES = 8
LANES = IND_LANES + GROUP_LANES
HOUR = 3600
DAY = 24 * HOUR

# What a slot holds.
EMPTY, SESSION, CASE, DEVELOPMENT, ADMIN, TEAM, CONFERENCE, LEAVE = range(8)

KINDS = [k.value for k in EventKind]
_K = {k: i for i, k in enumerate(EventKind)}
SESSION_KINDS = np.array(
    [
        _K[EventKind.CLIENT_SESSION],
        _K[EventKind.VIDEO_SESSION],
        _K[EventKind.PHONE_SESSION],
        _K[EventKind.HOME_VISIT],
        _K[EventKind.GROUP_SESSION],
    ]
)
SESSION_KIND_P = [0.58, 0.20, 0.08, 0.08, 0.06]
INDIRECT_SHARE = 0.08  # of client sessions; group sessions are always direct
ATTENDANCE = [a.value for a in Attendance]
ATTENDANCE_P = [0.82, 0.07, 0.04, 0.06, 0.01]
STATUSES = [s.value for s in SessionStatus]
STATUS_P = [0.85, 0.10, 0.05]
SIGNING_P = [0.75, 0.20, 0.05]  # within 24 h, 24-72 h, 3-21 days
LATEST_SIGNING_DAYS = 21
PLAN_SHARE = 0.90  # of the notes not signed yet; a signed note always has its plan
COUPLES_SHARE = 0.20  # of video sessions: a couple (or a family of three) on one call
FAMILY_SHARE = 0.30  # of those, a family of three
HOMEWORK_SHARE = 0.40
SHARED_SHARE = 0.25
SVC = {name: i for i, (name, _) in enumerate(names.SERVICES)}
ROLES = ["clinician", "manager", "client"]
RECIPIENTS = [r.value for r in RecipientKind]
CHANNELS = [c.value for c in Channel]
REMINDER_STATES = ["pending", "sent"]



@dataclass(frozen=True)
class _Spec:
    clinicians: int
    weeks: int
    weeks_ahead: int
    first_monday: date
    zone: ZoneInfo
    now: int  # UTC epoch seconds

    @property
    def total_weeks(self) -> int:
        return self.weeks + self.weeks_ahead



def _utc(seconds: np.ndarray, present: np.ndarray | None = None) -> pd.DatetimeIndex:
    """UTC instants from epoch seconds; NULL where ``present`` is False."""
    values = np.asarray(seconds, dtype=np.int64).astype("datetime64[s]")
    if present is not None:
        values = np.where(present, values, np.datetime64("NaT", "s"))
    return pd.DatetimeIndex(values).tz_localize("UTC")


def _ints(values: np.ndarray, present: np.ndarray) -> pd.arrays.IntegerArray:
    """A nullable integer column."""
    present = np.asarray(present, dtype=bool)
    return pd.arrays.IntegerArray(np.where(present, values, 0).astype(np.int64), ~present)



def _chunks(n: int) -> Iterator[slice]:
    """Slices of at most CHUNK rows: big tables are built and loaded a piece at a time."""
    for start in range(0, max(n, 1), CHUNK):
        yield slice(start, min(start + CHUNK, n))
