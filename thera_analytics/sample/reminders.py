"""Reminders: the notifications each session sends its client and third parties."""

from __future__ import annotations

import numpy as np
import pandas as pd

from thera_analytics.domain.details import Channel
from thera_analytics.sample.calendar_grid import _Events
from thera_analytics.sample.caseload import _Rows
from thera_analytics.sample.shape import CHANNELS, RECIPIENTS, REMINDER_STATES, _ints, _Spec, _utc


def _reminders(
    rng: np.random.Generator,
    spec: _Spec,
    ev: _Events,
    rows: _Rows,
    event_id: np.ndarray,
    client_id: np.ndarray,
    joins: np.ndarray,
    third_party: np.ndarray,
    base: dict[str, int],
) -> pd.DataFrame:
    """Email or browser reminders a day or an hour ahead, to clients and some third parties."""
    n_rows = len(rows.event)
    email, browser = CHANNELS.index(Channel.EMAIL.value), CHANNELS.index(Channel.BROWSER.value)
    first = ev.direct[rows.event] & (rng.random(n_rows) < 0.6)
    first_channel = np.where(rng.random(n_rows) < 0.75, email, browser)
    first_lead = np.where(rng.random(n_rows) < 0.7, 1440, 60)
    second = first & (first_lead == 1440) & (rng.random(n_rows) < 0.2)
    to_third = np.nonzero(joins & (rng.random(len(joins)) < 0.5))[0]
    r1, r2 = np.nonzero(first)[0], np.nonzero(second)[0]
    event = np.concatenate([rows.event[r1], rows.event[r2], to_third])
    tag = np.repeat([0, 1, 2], [len(r1), len(r2), len(to_third)])
    order = np.lexsort((tag, event))
    none = np.full(len(to_third), -1)
    client = np.concatenate([client_id[rows.client[r1]], client_id[rows.client[r2]], none])[order]
    third = np.concatenate([np.full(len(r1) + len(r2), -1), third_party[to_third]])[order]
    channel = np.concatenate(
        [first_channel[r1], np.full(len(r2), browser), np.full(len(to_third), email)]
    )[order]
    lead = np.concatenate([first_lead[r1], np.full(len(r2), 60), np.full(len(to_third), 1440)])
    lead = lead[order]
    event = event[order]
    due = ev.starts[event] - lead * 60
    sent = due < spec.now
    return pd.DataFrame(
        {
            "id": base["reminders"] + np.arange(len(event), dtype=np.int64),
            "event_id": event_id[event],
            "recipient_kind": pd.Categorical.from_codes(
                np.where(client >= 0, 0, 1), categories=RECIPIENTS
            ),
            "client_id": _ints(client, client >= 0),
            "third_party_id": _ints(third, third >= 0),
            "channel": pd.Categorical.from_codes(channel, categories=CHANNELS),
            "lead_minutes": lead.astype(np.int32),
            "due_at": _utc(due),
            "state": pd.Categorical.from_codes(sent.astype(np.int8), categories=REMINDER_STATES),
            "attempts": sent.astype(np.int32),
            "sent_at": _utc(due, sent),
        }
    )
