"""The unsigned-note backlog as of an instant (signing delays and amendable notes: ``signing``).

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
from thera_analytics.reports.period import Period
from thera_analytics.reports.signing import SIGNING_TARGET_HOURS, amendable_notes, signing_times
from thera_analytics.reports.source import (
    Days,
    Source,
    escape_markdown,
    filter_params,
    given,
    instant,
    local_text,
    practice_zone,
    run,
)

# What can be missing from a past client event, in the order the practice reads it.
MISSING_PARTS: tuple[str, ...] = ("details", "attendance", "status", "plan", "signature")


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
               as_of=given(as_of), days=_days(params))


def backlog_by_clinician(
    db: Source, as_of: datetime | str | None = None, *,
    start: date | str | None = None, end: date | str | None = None,
    clinician_id: int | None = None, service_id: int | None = None,
) -> pd.DataFrame:
    """Backlog counts per clinician and age bucket (<24 h ... >14 d), with total and oldest."""
    params = _as_of_params(as_of, start, end, clinician_id, service_id)
    rows = run(db, "backlog_counts", params, as_of=given(as_of), days=_days(params))
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


def _days(params: list[object]) -> Days | None:
    """The local days ``_as_of_params`` keeps, for ``run`` (None: every day)."""
    first, last = params[1], params[2]
    if first is None and last is None:
        return None
    return (first if isinstance(first, date) else None, last if isinstance(last, date) else None)


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
