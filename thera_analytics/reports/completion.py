"""Completion tracking: per clinician per week, the share of client events with each dot green.

Shares divide by the client events that had *ended* by ``as_of`` (an event still to come cannot
have its outcome yet); a plan or signature saved after ``as_of`` counts as not yet saved.
``incomplete`` (ended but not complete) equals the backlog of those weeks as of ``as_of``.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

import pandas as pd

from thera_analytics.domain.errors import ValidationError
from thera_analytics.reports.period import Period
from thera_analytics.reports.source import Source, filter_params, given, instant, run

COUNTS: tuple[str, ...] = ("client_events", "ended", "details", "plan", "outcome", "complete")
SHARES: tuple[str, ...] = ("details_share", "plan_share", "outcome_share", "complete_share")


def completion_by_week(
    db: Source, start: date | str, end: date | str, *, as_of: datetime | str | None = None,
    clinician_id: int | None = None, service_id: int | None = None,
    by: Literal["clinician", "practice"] = "clinician",
) -> pd.DataFrame:
    """One row per clinician per week (or per week for the practice) of the period.

    Counts: ``client_events`` (live), ``ended`` (before ``as_of``), and of the ended ones
    ``details``, ``plan``, ``outcome`` (dots green) and ``complete``; then ``incomplete`` and
    the four shares of ended events.
    """
    if by not in ("clinician", "practice"):
        raise ValidationError("by", f"{by!r}: choose clinician or practice")
    period = Period.coerce(start, end)
    moment = instant(as_of)
    rows = run(db, "completion", [
        period.start, period.end, *filter_params(clinician_id, service_id),
        moment, moment, moment,
    ], as_of=given(as_of))
    keys = ["clinician_id", "clinician", "week_start"] if by == "clinician" else ["week_start"]
    if rows.empty:
        return pd.DataFrame(columns=[*keys, *COUNTS, "incomplete", *SHARES])
    table = rows.groupby(keys, as_index=False)[list(COUNTS)].sum()
    table[list(COUNTS)] = table[list(COUNTS)].astype("int64")
    table["incomplete"] = table["ended"] - table["complete"]
    ended = table["ended"].where(table["ended"] > 0)
    for dot in ("details", "plan", "outcome", "complete"):
        table[f"{dot}_share"] = table[dot] / ended
    table["week_start"] = pd.to_datetime(table["week_start"])
    order = ["week_start", "clinician", "clinician_id"] if by == "clinician" else ["week_start"]
    return table.sort_values(order).reset_index(drop=True)


def completion_summary(
    db: Source, start: date | str, end: date | str, *, as_of: datetime | str | None = None,
    clinician_id: int | None = None, service_id: int | None = None,
) -> pd.DataFrame:
    """Completion over the whole period per clinician: one row each, least complete first."""
    weekly = completion_by_week(db, start, end, as_of=as_of, clinician_id=clinician_id,
                                service_id=service_id)
    keys = ["clinician_id", "clinician"]
    if weekly.empty:
        return pd.DataFrame(columns=[*keys, *COUNTS, "incomplete", *SHARES])
    table = weekly.groupby(keys, as_index=False)[[*COUNTS, "incomplete"]].sum()
    ended = table["ended"].where(table["ended"] > 0)
    for dot in ("details", "plan", "outcome", "complete"):
        table[f"{dot}_share"] = table[dot] / ended
    return table.sort_values(["complete_share", "clinician"]).reset_index(drop=True)


def completion_table(table: pd.DataFrame) -> pd.DataFrame:
    """``completion_by_week`` or ``completion_summary`` for reading: counts and shares in %."""
    out = pd.DataFrame(index=table.index)
    if "week_start" in table.columns:
        out["Week starting"] = pd.to_datetime(table["week_start"]).dt.strftime("%Y-%m-%d")
    if "clinician" in table.columns:
        out["Clinician"] = table["clinician"]
    out["Client events"] = table["client_events"]
    out["Ended"] = table["ended"]
    for share, title in (("details_share", "Details %"), ("plan_share", "Plan %"),
                         ("outcome_share", "Outcome %"), ("complete_share", "Complete %")):
        out[title] = (100 * table[share].astype(float)).round(1)
    out["Incomplete"] = table["incomplete"]
    return out.reset_index(drop=True)
