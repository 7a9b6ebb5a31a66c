"""How soon notes are signed after the session ends, and notes still amendable, as of an instant.

*As of* means the database is read as it stood then: a signature saved after ``as_of`` counts
as not there yet. ``as_of`` defaults to now.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd

from thera_analytics.domain.errors import ValidationError
from thera_analytics.domain.signing import AMENDMENT_WINDOW
from thera_analytics.reports.period import Period
from thera_analytics.reports.source import (
    Source,
    filter_params,
    given,
    instant,
    run,
)

# Signing targets the practice watches: signed within 24 hours, and at the latest within 48.
SIGNING_TARGET_HOURS: tuple[int, int] = (24, 48)


@dataclass(frozen=True)
class DelayBin:
    label: str
    min_hours: float
    max_hours: float


# Hours from a session's end to its signature; the edges fall on the 24 h and 48 h targets.
DELAY_BINS: tuple[DelayBin, ...] = (
    DelayBin("0-6 h", 0, 6),
    DelayBin("6-12 h", 6, 12),
    DelayBin("12-18 h", 12, 18),
    DelayBin("18-24 h", 18, 24),
    DelayBin("24-36 h", 24, 36),
    DelayBin("36-48 h", 36, 48),
    DelayBin("2-3 d", 48, 72),
    DelayBin("3-7 d", 72, 168),
    DelayBin("7-14 d", 168, 336),
    DelayBin(">14 d", 336, math.inf),
)


NOT_SIGNED = "Not signed"


_CAP_HOURS = 336  # delays of 14 days or more share one bin


def signing_times(
    db: Source, start: date | str, end: date | str, *, as_of: datetime | str | None = None,
    clinician_id: int | None = None, service_id: int | None = None, by: str = "clinician",
) -> pd.DataFrame:
    """Notes of sessions in the period that had ended, by time from session end to signature.

    Per clinician (``by="clinician"``) or for the practice (``by="practice"``): ``notes``,
    signed within 24 h, in 24-48 h, after 48 h, not signed (as of ``as_of``), and shares.
    """
    rows = _delays(db, start, end, as_of, clinician_id, service_id)
    keys = ["clinician_id", "clinician"] if by == "clinician" else []
    low, high = SIGNING_TARGET_HOURS
    hours = rows["delay_hour"]
    signed = hours.notna()
    rows["within_24h"] = rows["notes"].where(signed & (hours < low), 0)
    rows["within_24_48h"] = rows["notes"].where(signed & (hours >= low) & (hours < high), 0)
    rows["after_48h"] = rows["notes"].where(signed & (hours >= high), 0)
    rows["not_signed"] = rows["notes"].where(~signed, 0)
    counts = ["notes", "within_24h", "within_24_48h", "after_48h", "not_signed"]
    if by == "clinician":
        table = rows.groupby(keys, as_index=False)[counts].sum()
        table = table.sort_values(["clinician", "clinician_id"])
    elif by == "practice":
        table = pd.DataFrame([rows[counts].sum()]) if len(rows) else pd.DataFrame(
            [dict.fromkeys(counts, 0)])
    else:
        raise ValidationError("by", f"{by!r}: choose clinician or practice")
    table[counts] = table[counts].astype("int64")
    notes = table["notes"].where(table["notes"] > 0)
    table["share_within_24h"] = table["within_24h"] / notes
    table["share_within_48h"] = (table["within_24h"] + table["within_24_48h"]) / notes
    table["share_not_signed"] = table["not_signed"] / notes
    return table[[*keys, *counts, "share_within_24h", "share_within_48h",
                  "share_not_signed"]].reset_index(drop=True)


def signing_delay_distribution(
    db: Source, start: date | str, end: date | str, *, as_of: datetime | str | None = None,
    clinician_id: int | None = None, service_id: int | None = None,
) -> pd.DataFrame:
    """How long notes took to be signed after the session ended: one row per delay bin.

    Columns: ``delay``, ``min_hours``, ``max_hours``, ``notes``, ``share``, ``cumulative_share``
    (the last row is notes not signed as of ``as_of``; its cumulative share is 1).
    """
    rows = _delays(db, start, end, as_of, clinician_id, service_id)
    hours = rows["delay_hour"]
    counts = []
    for b in DELAY_BINS:
        inside = hours.notna() & (hours >= b.min_hours) & (hours < b.max_hours)
        counts.append(int(rows.loc[inside, "notes"].sum()))
    counts.append(int(rows.loc[hours.isna(), "notes"].sum()))
    table = pd.DataFrame({
        "delay": [b.label for b in DELAY_BINS] + [NOT_SIGNED],
        "min_hours": [b.min_hours for b in DELAY_BINS] + [math.nan],
        "max_hours": [b.max_hours for b in DELAY_BINS] + [math.nan],
        "notes": counts,
    })
    total = table["notes"].sum()
    table["share"] = table["notes"] / total if total else math.nan
    table["cumulative_share"] = table["share"].cumsum()
    return table


def amendable_notes(
    db: Source, as_of: datetime | str | None = None, *,
    clinician_id: int | None = None, service_id: int | None = None,
) -> pd.DataFrame:
    """Notes signed but still inside the 24-hour amendment window at ``as_of``.

    Ordered by when they lock (soonest first), with ``locks_at`` and ``hours_left``.
    """
    moment = instant(as_of)
    notes = run(db, "amendable_notes", [
        moment - AMENDMENT_WINDOW, moment, *filter_params(clinician_id, service_id),
    ], as_of=given(as_of))
    notes["locks_at"] = notes["signed_at"] + AMENDMENT_WINDOW
    notes["hours_left"] = (notes["locks_at"] - pd.Timestamp(moment)).dt.total_seconds() / 3600
    return notes


def signing_table(table: pd.DataFrame) -> pd.DataFrame:
    """``signing_times`` for reading: counts and shares in % to one decimal."""
    low, high = SIGNING_TARGET_HOURS
    out = pd.DataFrame(index=table.index)
    if "clinician" in table.columns:
        out["Clinician"] = table["clinician"]
    out["Notes"] = table["notes"]
    out[f"Within {low} h"] = table["within_24h"]
    out[f"{low}-{high} h"] = table["within_24_48h"]
    out[f"After {high} h"] = table["after_48h"]
    out["Not signed"] = table["not_signed"]
    out[f"Within {low} h %"] = (100 * table["share_within_24h"]).round(1)
    out[f"Within {high} h %"] = (100 * table["share_within_48h"]).round(1)
    return out.reset_index(drop=True)


def amendable_table(notes: pd.DataFrame) -> pd.DataFrame:
    """Amendable notes for reading: session, clinician, kind, and hours left to amend."""
    return pd.DataFrame({
        "Event": notes["event_id"].to_numpy(),
        "Session (local)": pd.to_datetime(notes["local_start"]).dt.strftime(
            "%Y-%m-%d %H:%M").to_numpy(),
        "Clinician": notes["clinician"].to_numpy(),
        "Kind": notes["kind_label"].to_numpy(),
        "Hours left": notes["hours_left"].round(1).to_numpy(),
    })


# -- internals ------------------------------------------------------------------------------
def _delays(db: Source, start: date | str, end: date | str, as_of: datetime | str | None,
            clinician_id: int | None, service_id: int | None) -> pd.DataFrame:
    period = Period.coerce(start, end)
    moment = instant(as_of)
    rows = run(db, "signing_delay", [
        moment, _CAP_HOURS, moment, period.start, period.end,
        *filter_params(clinician_id, service_id),
    ], as_of=given(as_of))
    rows["delay_hour"] = rows["delay_hour"].astype("Float64").astype(float)
    return rows
