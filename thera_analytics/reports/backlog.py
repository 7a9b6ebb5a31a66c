"""The unsigned-note backlog as of an instant, signing delays, and notes still amendable.

*As of* means the database is read as it stood then: a signature or plan saved after ``as_of``
counts as not there yet. Attendance marks and status are taken as stored (the schema does not
record when they were marked). ``as_of`` defaults to now.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import numpy as np
import pandas as pd

from thera_analytics.domain.backlog import AGE_BUCKETS as _AGE_BUCKETS
from thera_analytics.domain.backlog import BUCKET_LABELS
from thera_analytics.domain.errors import ValidationError
from thera_analytics.domain.signing import AMENDMENT_WINDOW
from thera_analytics.reports.period import Period
from thera_analytics.reports.source import (
    Source,
    escape_markdown,
    filter_params,
    given,
    instant,
    local_text,
    practice_zone,
    run,
)

# Signing targets the practice watches: signed within 24 hours, and at the latest within 48.
SIGNING_TARGET_HOURS: tuple[int, int] = (24, 48)

# What can be missing from a past client event, in the order the practice reads it.
MISSING_PARTS: tuple[str, ...] = ("details", "attendance", "status", "plan", "signature")


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


def backlog_items(
    db: Source, as_of: datetime | str | None = None, *,
    start: date | str | None = None, end: date | str | None = None,
    clinician_id: int | None = None, service_id: int | None = None, limit: int | None = None,
) -> pd.DataFrame:
    """Past client events not complete as of ``as_of``, oldest first, with what is missing.

    ``start``/``end`` optionally keep sessions of those local days; ``limit`` keeps the oldest.
    """
    if limit is not None and int(limit) < 0:
        raise ValidationError("limit", "give how many of the oldest to keep (0 or more)")
    params = _as_of_params(as_of, start, end, clinician_id, service_id)
    return run(db, "backlog_items", [*params, None if limit is None else int(limit)],
               as_of=given(as_of))


def backlog_by_clinician(
    db: Source, as_of: datetime | str | None = None, *,
    start: date | str | None = None, end: date | str | None = None,
    clinician_id: int | None = None, service_id: int | None = None,
) -> pd.DataFrame:
    """Backlog counts per clinician and age bucket (<24 h ... >14 d), with total and oldest."""
    rows = run(db, "backlog_counts", _as_of_params(as_of, start, end, clinician_id, service_id),
               as_of=given(as_of))
    columns = ["clinician_id", "clinician", *BUCKET_LABELS, "total", "oldest_hours"]
    if rows.empty:
        return pd.DataFrame(columns=columns)
    # One row per clinician, a column per bucket: counted with numpy (a pivot_table costs
    # more than the query for a month).
    codes, ids = pd.factorize(rows["clinician_id"])
    bucket = rows["age_bucket"].map({b: i for i, b in enumerate(BUCKET_LABELS)}).to_numpy()
    counts = np.zeros((len(ids), len(BUCKET_LABELS)), dtype="int64")
    np.add.at(counts, (codes, bucket), rows["notes"].to_numpy(dtype="int64"))
    oldest = np.full(len(ids), -np.inf)
    np.maximum.at(oldest, codes, rows["oldest_hours"].to_numpy(dtype="float64"))
    first = np.unique(codes, return_index=True)[1]
    table = pd.DataFrame({"clinician_id": rows["clinician_id"].to_numpy()[first],
                          "clinician": rows["clinician"].to_numpy()[first]})
    for i, label in enumerate(BUCKET_LABELS):
        table[label] = counts[:, i]
    table["total"] = counts.sum(axis=1)
    table["oldest_hours"] = oldest
    table = table.sort_values(["total", "oldest_hours", "clinician"],
                              ascending=[False, False, True])
    return table[columns].reset_index(drop=True)


def backlog_trend(
    db: Source, start: date | str, end: date | str, *, as_of: datetime | str | None = None,
    clinician_id: int | None = None, service_id: int | None = None,
) -> pd.DataFrame:
    """The backlog at the end of each week of the period (capped at ``as_of``), by age bucket.

    One row per week that had begun by ``as_of``: ``week_start``, ``as_of`` (the instant
    measured), a column per age bucket, ``backlog`` and ``change`` from the week before.
    """
    period = Period.coerce(start, end)
    weeks = period.week_starts()
    moment = instant(as_of)
    rows = run(db, "backlog_weekly", [
        weeks[0], weeks[-1], moment, moment, moment,
        *filter_params(clinician_id, service_id),
    ], as_of=given(as_of))
    columns = ["week_start", "as_of", *BUCKET_LABELS, "backlog", "change"]
    if rows.empty:
        return pd.DataFrame(columns=columns)
    rows["age_bucket"] = rows["age_bucket"].fillna("_none")
    table = rows.pivot_table(index=["week_start", "as_of"], columns="age_bucket",
                             values="notes", aggfunc="sum", fill_value=0)
    table = table.reindex(columns=list(BUCKET_LABELS), fill_value=0).astype("int64")
    table.columns.name = None
    table["backlog"] = table.sum(axis=1)
    table = table.reset_index().sort_values("week_start")
    table["change"] = table["backlog"].diff().astype("Int64")
    table["week_start"] = pd.to_datetime(table["week_start"])
    return table[columns].reset_index(drop=True)


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


def missing_counts(items: pd.DataFrame) -> pd.DataFrame:
    """How many backlog items miss each part (details, attendance, status, plan, signature)."""
    return pd.DataFrame({
        "missing": list(MISSING_PARTS),
        "notes": [int(items[f"missing_{part}"].sum()) if len(items) else 0
                  for part in MISSING_PARTS],
    })


@dataclass(frozen=True)
class OldestItem:
    event_id: int
    clinician: str
    kind_label: str
    local_start: str
    age_hours: float
    missing: str


@dataclass(frozen=True)
class BacklogSummary:
    """Headline figures of the backlog as of an instant and of signing in a period."""

    as_of: datetime
    as_of_local: str
    backlog: int
    by_bucket: dict[str, int]
    over_48h: int
    largest_clinician: str | None
    largest_clinician_notes: int
    oldest: OldestItem | None
    week_change: int
    period: Period
    previous: Period
    notes: int
    share_within_24h: float
    share_within_48h: float
    previous_share_within_24h: float
    amendable: int

    def figures(self) -> dict[str, Any]:
        """Plain numbers (shares in % to 0.1) for checking and for machines."""
        def pct(x: float) -> float | None:
            return None if math.isnan(x) else round(100 * x, 1)

        return {
            "as_of": self.as_of.isoformat(),
            "backlog": self.backlog,
            "by_bucket": dict(self.by_bucket),
            "over_48h": self.over_48h,
            "largest_clinician": self.largest_clinician,
            "largest_clinician_notes": self.largest_clinician_notes,
            "oldest_event_id": None if self.oldest is None else self.oldest.event_id,
            "week_change": self.week_change,
            "period": f"{self.period.start}..{self.period.end}",
            "notes_in_period": self.notes,
            "signed_within_24h_pct": pct(self.share_within_24h),
            "signed_within_48h_pct": pct(self.share_within_48h),
            "previous_signed_within_24h_pct": pct(self.previous_share_within_24h),
            "amendable": self.amendable,
        }

    def markdown(self) -> str:
        """A short written summary for a notebook or report."""
        low, high = SIGNING_TARGET_HOURS
        lines = [f"**Unsigned-note backlog at {self.as_of_local}:** {self.backlog:,} past "
                 f"client events are not complete; {self.over_48h:,} of them ended more than "
                 f"{high} hours ago.", ""]
        if self.week_change:
            trend = "grew" if self.week_change > 0 else "shrank"
            lines.append(f"- Over the last 7 days the backlog {trend} by "
                         f"{abs(self.week_change):,}.")
        else:
            lines.append("- The backlog is the same size as 7 days earlier.")
        if self.largest_clinician is not None:
            lines.append(f"- Largest backlog: **{escape_markdown(self.largest_clinician)}** "
                         f"({self.largest_clinician_notes:,} notes).")
        if self.oldest is not None:
            lines.append(f"- Oldest: {escape_markdown(self.oldest.kind_label)} of "
                         f"{escape_markdown(self.oldest.local_start)} with "
                         f"{escape_markdown(self.oldest.clinician)}, "
                         f"{self.oldest.age_hours / 24:.0f} days ago, missing "
                         f"{escape_markdown(self.oldest.missing)}.")
        if self.notes:
            text = (f"- Sessions of {self.period.label}: {_pct(self.share_within_24h)} of "
                    f"{self.notes:,} notes signed within {low} h, "
                    f"{_pct(self.share_within_48h)} within {high} h")
            if not math.isnan(self.previous_share_within_24h):
                text += (f" (within {low} h in {self.previous.label}: "
                         f"{_pct(self.previous_share_within_24h)})")
            lines.append(text + ".")
        lines.append(f"- Signed in the last 24 hours and still amendable: {self.amendable:,}.")
        return "\n".join(lines)


def backlog_summary(
    db: Source, start: date | str, end: date | str, *, as_of: datetime | str | None = None,
    clinician_id: int | None = None, service_id: int | None = None,
) -> BacklogSummary:
    """Headline figures: backlog size, age, largest and oldest, last week's change, and
    signing within 24/48 h in the period against the previous one."""
    moment = instant(as_of)
    period = Period.coerce(start, end)
    previous = period.previous()
    cid, sid = clinician_id, service_id
    counts = backlog_by_clinician(db, moment, clinician_id=cid, service_id=sid)
    by_bucket = {b: int(counts[b].sum()) if len(counts) else 0 for b in BUCKET_LABELS}
    oldest = backlog_items(db, moment, limit=1, clinician_id=cid, service_id=sid)
    week_before = backlog_by_clinician(db, moment - timedelta(days=7), clinician_id=cid,
                                       service_id=sid)
    signing = signing_times(db, period.start, period.end, as_of=moment, by="practice",
                            clinician_id=cid, service_id=sid)
    before = signing_times(db, previous.start, previous.end, as_of=moment, by="practice",
                           clinician_id=cid, service_id=sid)
    zone = practice_zone(db)
    backlog = sum(by_bucket.values())
    first = oldest.iloc[0] if len(oldest) else None
    return BacklogSummary(
        as_of=moment,
        as_of_local=local_text(moment, zone),
        backlog=backlog,
        by_bucket=by_bucket,
        over_48h=int(sum(by_bucket[b.label] for b in _AGE_BUCKETS if b.min_hours >= 48)),
        largest_clinician=None if counts.empty else str(counts.iloc[0]["clinician"]),
        largest_clinician_notes=0 if counts.empty else int(counts.iloc[0]["total"]),
        oldest=None if first is None else OldestItem(
            int(first["event_id"]), str(first["clinician"]), str(first["kind_label"]),
            pd.Timestamp(first["local_start"]).strftime("%Y-%m-%d %H:%M"),
            float(first["age_hours"]), str(first["missing"])),
        week_change=backlog - int(week_before["total"].sum()),
        period=period,
        previous=previous,
        notes=int(signing["notes"].iloc[0]),
        share_within_24h=float(signing["share_within_24h"].iloc[0]),
        share_within_48h=float(signing["share_within_48h"].iloc[0]),
        previous_share_within_24h=float(before["share_within_24h"].iloc[0]),
        amendable=len(amendable_notes(db, moment, clinician_id=cid, service_id=sid)),
    )


def item_table(items: pd.DataFrame) -> pd.DataFrame:
    """Backlog items for reading: when, who, what, how old, and what is missing."""
    return pd.DataFrame({
        "Event": items["event_id"].to_numpy(),
        "Session (local)": pd.to_datetime(items["local_start"]).dt.strftime(
            "%Y-%m-%d %H:%M").to_numpy(),
        "Clinician": items["clinician"].to_numpy(),
        "Kind": items["kind_label"].to_numpy(),
        "Service": items["service"].to_numpy(),
        "Age (days)": (items["age_hours"] / 24).round(1).to_numpy(),
        "Age bucket": items["age_bucket"].to_numpy(),
        "Missing": items["missing"].to_numpy(),
    })


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


def _as_of_params(as_of: datetime | str | None, start: date | str | None,
                  end: date | str | None, clinician_id: int | None,
                  service_id: int | None) -> list[object]:
    moment = instant(as_of)
    first = last = None
    if start is not None or end is not None:
        period = Period.coerce(start, end, default=Period(date.min, date.max))
        first = None if period.start == date.min else period.start
        last = None if period.end == date.max else period.end
    return [moment, first, last, clinician_id, service_id]


def _pct(share: float) -> str:
    return "n/a" if math.isnan(share) else f"{100 * share:.1f}%"
