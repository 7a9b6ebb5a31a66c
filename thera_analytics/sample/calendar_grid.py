"""The calendar: every event of every clinician-week placed on the slot grid, with its
local keys (see ``generator`` for the grid)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from thera_analytics.domain.kinds import EventKind
from thera_analytics.sample.shape import (
    _K,
    ADMIN,
    CASE,
    CONFERENCE,
    COUPLES_SHARE,
    DAYS,
    DEVELOPMENT,
    EMPTY,
    FAMILY_SHARE,
    FIRST_HOUR,
    HOUR,
    HOURS,
    IND_LANES,
    INDIRECT_SHARE,
    LEAVE,
    SESSION,
    SESSION_KIND_P,
    SESSION_KINDS,
    SESSION_MINUTES,
    SLOTS,
    TEAM,
    TEAM_SIZE,
    _Spec,
)


@dataclass(frozen=True)
class _Events:
    """One entry per event, in start order (then clinician)."""

    week: np.ndarray
    clinician: np.ndarray  # 0-based
    what: np.ndarray  # SESSION .. LEAVE
    kind: np.ndarray  # index into KINDS
    direct: np.ndarray  # meaningful for client events only
    client: np.ndarray  # a client event
    lane: np.ndarray  # individual lane of a single-client event, else -1
    group_size: np.ndarray  # clients of a group session, else 0
    grid: np.ndarray  # index of the start in the (week, slot) grid
    starts: np.ndarray  # UTC epoch seconds
    minutes: np.ndarray

    @property
    def ends(self) -> np.ndarray:
        return self.starts + self.minutes.astype(np.int64) * 60


def _calendar(rng: np.random.Generator, spec: _Spec) -> _Events:
    """Place every event of every clinician-week on the slot grid."""
    n_weeks, n_clin = spec.total_weeks, spec.clinicians
    shape = (n_weeks, n_clin)
    cl = np.arange(n_clin)
    team = cl // TEAM_SIZE
    team_size = np.bincount(team)[team]
    team_no = np.arange(int(team.max()) + 1)
    team_day = (team_no % DAYS)[team]
    meet_slot = team_day * HOURS + np.where((team_no // DAYS) % 2 == 0, 0, 4)[team]
    conf_slot = meet_slot + 1  # 09:00 or 13:00

    keys = rng.random((*shape, SLOTS), dtype=np.float32)
    hour = np.arange(SLOTS) % HOURS
    keys += np.select([hour == 4, hour == 9], [0.4, 0.2], 0.0).astype(np.float32)  # lunch, late
    blocked = np.zeros((*shape, SLOTS), dtype=bool)
    blocked[:, cl, meet_slot] = True
    blocked[:, cl, conf_slot] = True
    # Occasional leave: a morning, an afternoon or a day, never on the team's meeting day.
    on_leave = rng.random(shape) < 0.06
    leave_day = (team_day[None, :] + 1 + rng.integers(0, DAYS - 1, shape)) % DAYS
    part = rng.choice(3, size=shape, p=[0.4, 0.35, 0.25])
    leave_first = np.array([0, 5, 0])[part]
    leave_hours = np.array([4, 5, 10])[part]
    hours = np.arange(HOURS)
    in_hours = (hours >= leave_first[..., None]) & (hours < (leave_first + leave_hours)[..., None])
    on_day = (np.arange(DAYS) == leave_day[..., None]) & on_leave[..., None]
    blocked |= (on_day[..., None] & in_hours[:, :, None, :]).reshape(*shape, SLOTS)
    keys[blocked] = 9.0
    rank = np.empty((*shape, SLOTS), dtype=np.int8)
    np.put_along_axis(rank, np.argsort(keys, axis=2), np.arange(SLOTS, dtype=np.int8), axis=2)
    del keys

    available = SLOTS - blocked.sum(axis=2)
    del blocked
    n_sess = rng.integers(20, 29, shape) - np.where(on_leave, leave_hours // 2, 0)
    n_case = np.minimum(rng.poisson(1.0, shape), 3)
    n_dev = np.minimum(rng.poisson(1.3, shape), 3)
    n_admin = np.clip(
        rng.poisson(3.0, shape), 0, np.minimum(6, available - n_sess - n_case - n_dev)
    )
    bounds = np.cumsum(np.stack([n_sess, n_case, n_dev, n_admin]), axis=0)[..., None]
    cat = np.select(
        [rank < bounds[0], rank < bounds[1], rank < bounds[2], rank < bounds[3]],
        [SESSION, CASE, DEVELOPMENT, ADMIN],
        EMPTY,
    ).astype(np.int8)
    del rank
    cat[:, cl, meet_slot] = np.where(cl % TEAM_SIZE == 0, TEAM, EMPTY)[None, :]
    # The team's case conference is owned by each member in turn.
    owner = (cl % TEAM_SIZE)[None, :] == np.arange(n_weeks)[:, None] % team_size[None, :]
    cat[:, cl, conf_slot] = np.where(owner, CONFERENCE, EMPTY)
    lw, lc = np.nonzero(on_leave)
    cat[lw, lc, leave_day[lw, lc] * HOURS + leave_first[lw, lc]] = LEAVE

    kind_u = rng.random((*shape, SLOTS), dtype=np.float32)
    session_kind = SESSION_KINDS[
        np.minimum(np.searchsorted(np.cumsum(SESSION_KIND_P), kind_u), len(SESSION_KINDS) - 1)
    ]
    del kind_u
    group = (cat == SESSION) & (session_kind == _K[EventKind.GROUP_SESSION])
    needs_lane = ((cat == SESSION) & ~group) | (cat == CASE) | (cat == CONFERENCE)
    ordinal = np.cumsum(needs_lane, axis=2, dtype=np.int16) - 1
    lane_perm = np.argsort(rng.random((*shape, IND_LANES), dtype=np.float32), axis=2)

    # Read the events out in (week, slot, clinician) order, which is start order.
    w, s, c = np.nonzero(np.ascontiguousarray(cat.transpose(0, 2, 1)))
    flat = (w * n_clin + c) * SLOTS + s
    what = cat.reshape(-1)[flat]
    is_group = group.reshape(-1)[flat]
    kind = np.select(
        [
            what == SESSION,
            (what == CASE) | (what == CONFERENCE),
            what == DEVELOPMENT,
            what == ADMIN,
            what == TEAM,
        ],
        [
            session_kind.reshape(-1)[flat],
            _K[EventKind.CLIENT_TEAM_MEETING],
            _K[EventKind.PROFESSIONAL_DEVELOPMENT],
            _K[EventKind.ADMIN],
            _K[EventKind.TEAM_MEETING],
        ],
        _K[EventKind.PERSONAL_LEAVE],
    ).astype(np.int8)
    n = len(w)
    couples = ((what == SESSION) & (kind == _K[EventKind.VIDEO_SESSION])
               & (rng.random(n) < COUPLES_SHARE))
    couple_size = np.where(rng.random(n) < FAMILY_SHARE, 3, 2)
    client = (what == SESSION) | (what == CASE) | (what == CONFERENCE)
    keep_direct = rng.random(n) >= INDIRECT_SHARE / (1 - SESSION_KIND_P[-1])
    direct = (what == SESSION) & (is_group | couples | keep_direct)
    lane = np.where(
        needs_lane.reshape(-1)[flat],
        lane_perm.reshape(-1, IND_LANES)[
            w * n_clin + c, np.clip(ordinal.reshape(-1)[flat], 0, IND_LANES - 1)
        ],
        -1,
    )
    minutes = np.where(what == LEAVE, np.array([240, 300, 600])[part][w, c], SESSION_MINUTES)
    grid = w.astype(np.int64) * SLOTS + s
    return _Events(
        week=w.astype(np.int32),
        clinician=c.astype(np.int32),
        what=what,
        kind=kind,
        direct=direct,
        client=client,
        lane=lane.astype(np.int32),
        group_size=np.where(is_group, rng.integers(2, 6, n),
                            np.where(couples, couple_size, 0)).astype(np.int8),
        grid=grid,
        starts=_grid_instants(spec)[grid],
        minutes=minutes.astype(np.int32),
    )


def _grid_zoned(spec: _Spec) -> pd.DatetimeIndex:
    """Every (week, slot) wall-clock start placed in the practice's zone.

    Slots are 08:00-17:00, clear of the night-time daylight-saving changes; in a zone that
    changes in the day, a skipped time moves forward and a repeated one takes standard time.
    """
    monday = np.datetime64(spec.first_monday, "D")
    week = np.arange(spec.total_weeks)[:, None]
    slot = np.arange(SLOTS)[None, :]
    day = monday + (week * 7 + slot // HOURS).astype("timedelta64[D]")
    local = day.astype("datetime64[s]") + ((FIRST_HOUR + slot % HOURS) * HOUR).astype(
        "timedelta64[s]"
    )
    index = pd.DatetimeIndex(local.reshape(-1))
    return index.tz_localize(
        spec.zone.key, ambiguous=np.zeros(len(index), dtype=bool), nonexistent="shift_forward"
    )


def _grid_instants(spec: _Spec) -> np.ndarray:
    """UTC epoch seconds of every grid start."""
    utc = _grid_zoned(spec).tz_convert("UTC").tz_localize(None)
    return utc.to_numpy().astype("datetime64[s]").astype(np.int64)


def _local_keys(spec: _Spec, grid: np.ndarray) -> dict[str, np.ndarray]:
    """local_start .. weekday of each event: the wall-clock time its instant shows."""
    local = _grid_zoned(spec).tz_localize(None).to_numpy().astype("datetime64[s]")
    day = local.astype("datetime64[D]")
    weekday = (day.astype(np.int64) + 3) % 7  # 1970-01-01 was a Thursday
    month = day.astype("datetime64[M]").astype(np.int64)
    return {
        "local_start": local[grid],
        "local_date": day[grid],
        "week_start": (day - weekday.astype("timedelta64[D]"))[grid],
        "month_key": ((month // 12 + 1970) * 100 + month % 12 + 1).astype(np.int32)[grid],
        "weekday": weekday.astype(np.int16)[grid],
    }
