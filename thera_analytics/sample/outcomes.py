"""Outcomes and signing: attendance, statuses, plans, signatures, and the notes, amendments
and comments written on them."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import pandas as pd

from thera_analytics.sample import names
from thera_analytics.sample.calendar_grid import _Events
from thera_analytics.sample.caseload import _Rows
from thera_analytics.sample.shape import (
    ATTENDANCE,
    ATTENDANCE_P,
    DAY,
    HOMEWORK_SHARE,
    HOUR,
    LATEST_SIGNING_DAYS,
    PLAN_SHARE,
    SHARED_SHARE,
    SIGNING_P,
    STATUS_P,
    STATUSES,
    _ints,
    _Spec,
    _utc,
)


@dataclass(frozen=True)
class _Outcomes:
    created: np.ndarray
    plan: np.ndarray  # a plan was saved
    plan_saved: np.ndarray
    marked: np.ndarray  # attendance or status recorded
    marked_at: np.ndarray
    signed: np.ndarray
    signed_at: np.ndarray
    attendance: np.ndarray  # per row: index into ATTENDANCE, -1 unmarked
    status: np.ndarray  # per event: index into STATUSES, -1 none


def _outcomes(rng: np.random.Generator, spec: _Spec, ev: _Events, rows: _Rows) -> _Outcomes:
    """Booking, planning, marking and signing times, and what ``now`` has reached."""
    n = len(ev.week)
    now = spec.now
    # Booked 2-28 days ahead, and never after now.
    created = np.minimum(
        ev.starts - rng.integers(2 * DAY, 28 * DAY, n), now - rng.integers(60, 6 * HOUR, n)
    )
    plan_saved = np.maximum(ev.starts - rng.integers(HOUR // 2, 72 * HOUR, n), created + 60)

    signing = rng.choice(len(SIGNING_P), size=n, p=SIGNING_P)
    u = rng.random(n)
    delay = np.select(
        [signing == 0, signing == 1],
        [0.1 * HOUR + 23.8 * HOUR * u**1.5, DAY + 2 * DAY * u],
        3 * DAY + (LATEST_SIGNING_DAYS - 3) * DAY * u,
    )
    # Most marks go in within hours; one in ten waits for the note to be written and signed.
    mark_delay = np.where(rng.random(n) < 0.1, delay,
                          np.minimum(delay, 60 + rng.exponential(1.5 * HOUR, n)))
    ends = ev.ends
    marked_at = ends + np.ceil(mark_delay).astype(np.int64)
    signed_at = ends + np.ceil(delay).astype(np.int64)
    marked = ev.client & (ends < now) & (marked_at <= now)
    signed = marked & (signed_at <= now)
    # Signing needs the plan (saved before the session), so only a note not signed by now may
    # still be without one.
    plan = ev.client & (plan_saved <= now) & (signed | (rng.random(n) < PLAN_SHARE))

    mark_row = marked[rows.event] & ev.direct[rows.event]
    attendance = rng.choice(len(ATTENDANCE), size=len(rows.event), p=ATTENDANCE_P)
    status = rng.choice(len(STATUSES), size=n, p=STATUS_P)
    return _Outcomes(
        created=created,
        plan=plan,
        plan_saved=plan_saved,
        marked=marked,
        marked_at=marked_at,
        signed=signed,
        signed_at=signed_at,
        attendance=np.where(mark_row, attendance, -1),
        status=np.where(marked & ~ev.direct, status, -1),
    )



@dataclass(frozen=True)
class _Drawn:
    """What the tables of events are drawn from: the run's random generator and spec, the
    calendar's events, the client rows, their outcomes, and the events' ids."""

    rng: np.random.Generator
    spec: _Spec
    ev: _Events
    rows: _Rows
    out: _Outcomes
    event_id: np.ndarray


def _notes(
    drawn: _Drawn,
    user: np.ndarray,
    has_user: np.ndarray,
    base: dict[str, int],
    share: np.ndarray,
) -> Iterator[tuple[str, pd.DataFrame]]:
    """Plans, outcomes (note, homework, signature), amendments and comments; homework is
    shared on the ``share`` sessions (the demo clients' latest)."""
    rng, spec, ev, rows, out, event_id = (
        drawn.rng, drawn.spec, drawn.ev, drawn.rows, drawn.out, drawn.event_id)
    n = len(ev.week)
    n_notes = len(names.NOTES)
    note = rng.integers(0, n_notes, n)
    hw_enabled = (rng.random(n) < HOMEWORK_SHARE) | share
    hw_shared = hw_enabled & ((rng.random(n) < SHARED_SHARE / HOMEWORK_SHARE) | share)
    homework = np.where(hw_enabled, 1 + rng.integers(0, len(names.HOMEWORK), n), 0)
    amended_at = out.signed_at + rng.integers(10 * 60, 23 * HOUR, n)
    amended = out.signed & has_user & (rng.random(n) < 0.03) & (amended_at <= spec.now)
    final_note = np.where(amended, note + n_notes, note)
    commented_at = out.signed_at + DAY + rng.integers(HOUR, 14 * DAY, n)
    commented = out.signed & has_user & (rng.random(n) < 0.01) & (commented_at <= spec.now)
    comment = rng.integers(0, len(names.COMMENTS), n)
    plan_text = rng.integers(0, len(names.PLAN_TEXTS), n)

    # A plan's previous homework and note come from the client's previous session when its
    # outcome was written before the plan was saved: what the app's pre-fill would show.
    order = np.lexsort((rows.event, rows.client))
    same = rows.client[order][1:] == rows.client[order][:-1]
    prev_of_row = np.full(len(order), -1, dtype=np.int64)
    prev_of_row[order[1:]] = np.where(same, rows.event[order][:-1], -1)
    prev = np.where(rows.first_row >= 0, prev_of_row[np.maximum(rows.first_row, 0)], -1)
    at = np.maximum(prev, 0)
    # The app pre-fills only from a session with exactly the same clients; here that is an
    # individual session after an individual session of the same client.
    single = ev.group_size == 0
    has_prev = ((prev >= 0) & out.marked[at] & (out.marked_at[at] <= out.plan_saved)
                & single & single[at])

    notes = list(names.NOTES) + [t + names.AMENDMENT_SUFFIX for t in names.NOTES]
    homeworks = ["", *names.HOMEWORK]
    p = np.nonzero(out.plan)[0]
    yield (
        "plans",
        pd.DataFrame(
            {
                "event_id": event_id[p],
                "plan_text": pd.Categorical.from_codes(plan_text[p], categories=names.PLAN_TEXTS),
                "previous_homework": pd.Categorical.from_codes(
                    np.where(has_prev[p], homework[at[p]], 0), categories=homeworks
                ),
                "previous_note": pd.Categorical.from_codes(
                    np.where(has_prev[p], 1 + final_note[at[p]], 0), categories=["", *notes]
                ),
                "saved_at": _utc(out.plan_saved[p]),
                "saved_by": _ints(user[p], has_user[p]),
            }
        ),
    )
    o = np.nonzero(out.marked)[0]
    yield (
        "outcomes",
        pd.DataFrame(
            {
                "event_id": event_id[o],
                "status": pd.Categorical.from_codes(out.status[o], categories=STATUSES),
                "note": pd.Categorical.from_codes(final_note[o], categories=notes),
                "homework": pd.Categorical.from_codes(homework[o], categories=homeworks),
                "homework_enabled": hw_enabled[o],
                "homework_shared": hw_shared[o],
                "updated_at": _utc(np.where(amended, amended_at, out.marked_at)[o]),
                "updated_by": _ints(user[o], has_user[o]),
                "signed_at": _utc(out.signed_at[o], out.signed[o]),
                "signed_by": _ints(user[o], out.signed[o] & has_user[o]),
            }
        ),
    )
    a = np.nonzero(amended)[0]
    yield (
        "amendments",
        pd.DataFrame(
            {
                "id": base["amendments"] + np.arange(len(a), dtype=np.int64),
                "event_id": event_id[a],
                "field": "note",
                "previous_value": np.array(notes, dtype=object)[note[a]],
                "new_value": np.array(notes, dtype=object)[note[a] + n_notes],
                "amended_by": user[a],
                "amended_at": _utc(amended_at[a]),
            }
        ),
    )
    c = np.nonzero(commented)[0]
    yield (
        "comments",
        pd.DataFrame(
            {
                "id": base["comments"] + np.arange(len(c), dtype=np.int64),
                "event_id": event_id[c],
                "author_id": user[c],
                "created_at": _utc(commented_at[c]),
                "body": np.array(names.COMMENTS, dtype=object)[comment[c]],
            }
        ),
    )
