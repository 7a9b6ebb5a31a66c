"""Clients: caseload lanes filled with episodes, each session's clients, and the clients
and third parties the demo practice names."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from thera_analytics.domain.kinds import EventKind
from thera_analytics.sample import names
from thera_analytics.sample.calendar_grid import _Events
from thera_analytics.sample.shape import _K, GROUP_LANES, IND_LANES, LANES, SVC, _Spec


@dataclass(frozen=True)
class _Rows:
    """One entry per (client event, client): the event_clients rows, in event order."""

    event: np.ndarray  # index into _Events
    client: np.ndarray  # client number (id = first free id + number)
    first_row: np.ndarray  # per event: its first row, -1 for a non-client event
    home: np.ndarray  # per client: the clinician whose caseload holds them
    client_first_row: np.ndarray  # per client: the row of their first session
    new_episode: np.ndarray  # per client: their episode began inside the history
    active: np.ndarray  # per client: still in care in the week of ``end``
    service: np.ndarray  # per client: the service of their episode


def _clients(rng: np.random.Generator, spec: _Spec, ev: _Events) -> _Rows:
    """Who each client event is with: lanes, then episodes, then clients."""
    n = len(ev.week)
    is_group = ev.group_size > 0
    count = np.where(is_group, ev.group_size, ev.client).astype(np.int64)
    event = np.repeat(np.arange(n), count)
    pos = np.arange(len(event)) - (np.cumsum(count) - count)[event]
    group_no = np.maximum(np.cumsum(is_group) - 1, 0)
    group_perm = np.argsort(rng.random((max(int(is_group.sum()), 1), GROUP_LANES)), axis=1)
    couple = is_group[event] & (ev.kind[event] == _K[EventKind.VIDEO_SESSION])
    lane = np.where(
        couple,
        IND_LANES + 3 * (ev.lane[event] % 2) + np.minimum(pos, 2),
        np.where(
            is_group[event],
            IND_LANES + group_perm[group_no[event], np.minimum(pos, GROUP_LANES - 1)],
            ev.lane[event],
        ),
    )

    # Each lane holds episodes back to back; the first began before the history.
    n_lanes = spec.clinicians * LANES
    per_lane = (spec.total_weeks + 52) // 6 + 2
    group_lane = np.arange(n_lanes) % LANES >= IND_LANES
    length = np.where(
        group_lane[:, None],
        rng.integers(8, 21, (n_lanes, per_lane)),
        rng.integers(6, 53, (n_lanes, per_lane)),
    )
    ends = np.cumsum(length, axis=1) - rng.integers(0, length[:, 0])[:, None]
    stride = 1 << 20  # past any week number
    key = (np.arange(n_lanes, dtype=np.int64)[:, None] * stride + ends).reshape(-1)
    lane_no = ev.clinician[event].astype(np.int64) * LANES + lane
    episode = np.searchsorted(key, lane_no * stride + ev.week[event], side="right")
    service = rng.choice(
        [SVC["Individual therapy"], SVC["Couples therapy"], SVC["Family therapy"]],
        size=n_lanes * per_lane,
        p=[0.75, 0.12, 0.13],
    )

    seen, first_row, inverse = np.unique(episode, return_index=True, return_inverse=True)
    home = seen // (LANES * per_lane)
    order = np.lexsort((first_row, home))  # clinician 1's clients first, by first visit
    number = np.empty(len(seen), dtype=np.int64)
    number[order] = np.arange(len(seen))
    ep = seen[order]
    event_first = np.full(n, -1, dtype=np.int64)
    event_first[event[::-1]] = np.arange(len(event) - 1, -1, -1)
    return _Rows(
        event=event,
        client=number[inverse],
        first_row=event_first,
        home=home[order],
        client_first_row=first_row[order],
        new_episode=(ends - length).reshape(-1)[ep] >= 0,
        active=ends.reshape(-1)[ep] > spec.weeks - 1,
        service=service[ep],
    )


def _third_parties(
    rng: np.random.Generator, clients: pd.DataFrame, client_id: np.ndarray, base: int
) -> tuple[pd.DataFrame, np.ndarray]:
    """About 30% of clients have a GP, parent, teacher...; also each client's first one."""
    n_clients = len(clients)
    owner = np.repeat(np.arange(n_clients), rng.choice(3, size=n_clients, p=[0.70, 0.25, 0.05]))
    role = rng.choice(len(names.THIRD_PARTY_ROLES), size=len(owner), p=names.THIRD_PARTY_WEIGHTS)
    relationship, prefix, domain = (
        np.array(column, dtype=object)[role]
        for column in zip(*names.THIRD_PARTY_ROLES, strict=True)
    )
    surname = np.array(names.LAST_NAMES, dtype=object)[
        rng.integers(0, len(names.LAST_NAMES), len(owner))
    ]
    family = np.isin(relationship, ["Parent", "Carer"])
    people = names.pick_people(
        rng, len(owner), last=np.where(family, clients["last"].to_numpy()[owner], surname)
    )
    ids = base + np.arange(len(owner), dtype=np.int64)
    frame = pd.DataFrame(
        {
            "id": ids,
            "client_id": client_id[owner],
            "name": prefix + people["name"].to_numpy(),
            "email": people["email_user"].to_numpy() + "@" + domain,
            "relationship": relationship,
        }
    )
    first = np.full(n_clients, -1, dtype=np.int64)
    first[owner[::-1]] = ids[::-1]
    return frame, first
