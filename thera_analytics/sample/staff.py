"""Staff: the users who sign in (clinicians, managers, the demo client) and the team
members of team meetings and case conferences."""

from __future__ import annotations

import numpy as np
import pandas as pd

from thera_analytics.sample.calendar_grid import _Events
from thera_analytics.sample.shape import (
    CONFERENCE,
    DEMO_PASSWORD,
    ROLES,
    TEAM,
    TEAM_SIZE,
    _ints,
    _Spec,
)
from thera_analytics.service.accounts import hash_password


def _users(
    picked: np.ndarray,
    clinician_id: np.ndarray,
    client_id: np.ndarray,
    staff: pd.DataFrame,
    people: pd.DataFrame,
    base: dict[str, int],
    taken: set[str],
    password_hash: str | None,
) -> tuple[pd.DataFrame, np.ndarray]:
    """A manager, a user per clinician, and a client user for each ``picked`` client.

    Returns the frame and each clinician's user id (-1 where the username was already taken:
    that account is left as it is).
    """
    n_clin = len(clinician_id)
    username = np.array(
        ["manager"]
        + [f"clinician{i + 1}" for i in range(n_clin)]
        + [f"client{i + 1}" for i in range(len(picked))],
        dtype=object,
    )
    role = np.repeat([1, 0, 2], [1, n_clin, len(picked)])
    display = np.concatenate(
        [["Practice manager"], staff["name"].to_numpy(), people["name"].to_numpy()[picked]]
    )
    clinician = np.concatenate([[-1], clinician_id, np.full(len(picked), -1)])
    client = np.concatenate([np.full(1 + n_clin, -1), client_id[picked]])
    keep = ~np.isin(username, sorted(taken))
    user_id = np.full(len(username), -1, dtype=np.int64)
    user_id[keep] = base["users"] + np.arange(int(keep.sum()))
    # Every demo account shares one argon2 hash of the published password: one hash costs
    # 0.1-0.3 s, which for hundreds of accounts would outweigh building the whole practice.
    if password_hash is None:
        password_hash = hash_password(DEMO_PASSWORD) if keep.any() else ""
    frame = pd.DataFrame(
        {
            "id": user_id[keep],
            "username": username[keep],
            "password_hash": password_hash,
            "role": pd.Categorical.from_codes(role[keep], categories=ROLES),
            "display_name": display[keep],
            "clinician_id": _ints(clinician[keep], clinician[keep] >= 0),
            "client_id": _ints(client[keep], client[keep] >= 0),
        }
    )
    return frame, user_id[1 : 1 + n_clin]


def _team_members(
    spec: _Spec, ev: _Events, event_id: np.ndarray, clinician_id: np.ndarray
) -> pd.DataFrame:
    """The rest of the team joins its team meetings and case conferences."""
    idx = np.nonzero((ev.what == TEAM) | (ev.what == CONFERENCE))[0]
    owner = ev.clinician[idx].astype(np.int64)
    member = (owner // TEAM_SIZE * TEAM_SIZE)[:, None] + np.arange(TEAM_SIZE)[None, :]
    e, m = np.nonzero((member < spec.clinicians) & (member != owner[:, None]))
    return pd.DataFrame({"event_id": event_id[idx[e]], "clinician_id": clinician_id[member[e, m]]})
