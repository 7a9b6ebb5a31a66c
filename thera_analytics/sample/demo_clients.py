"""The sample practice's demo clients: who gets a portal login, and whose homework is shared.

Reads the caseload and the outcomes, so it sits above both."""

from __future__ import annotations

import numpy as np

from thera_analytics.sample.calendar_grid import _Events
from thera_analytics.sample.caseload import _Rows
from thera_analytics.sample.outcomes import _Outcomes
from thera_analytics.sample.shape import _Spec


def _demo_clients(
    spec: _Spec, ev: _Events, rows: _Rows, out: _Outcomes
) -> tuple[np.ndarray, np.ndarray]:
    """The clients given a demo login (up to 12, from the first four clinicians' caseloads),
    and the sessions whose homework is shared with them.

    Each is an active client with a session still to come and a past individual session, whose
    latest one shares its homework: a demo portal shows upcoming sessions and homework."""
    n_clients = len(rows.home)
    leads = min(spec.clinicians, 4)
    each = -(-12 // leads)
    start = ev.starts[rows.event]
    upcoming = np.zeros(n_clients, dtype=bool)
    upcoming[rows.client[start > spec.now]] = True
    own = out.marked[rows.event] & ev.direct[rows.event] & (ev.group_size[rows.event] == 0)
    latest = np.full(n_clients, -1, dtype=np.int64)
    np.maximum.at(latest, rows.client[own], rows.event[own])
    eligible = rows.active & upcoming & (latest >= 0) & (rows.home < leads)
    # Clients are numbered by clinician, then first visit: the first ``each`` of every lead.
    counted = np.cumsum(eligible)
    first_of_home = np.searchsorted(rows.home, rows.home)
    before = np.where(first_of_home > 0, counted[np.maximum(first_of_home - 1, 0)], 0)
    picked = np.nonzero(eligible & (counted - before <= each))[0]
    share = np.zeros(len(ev.week), dtype=bool)
    share[latest[picked]] = True
    return picked, share
