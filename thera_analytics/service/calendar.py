"""Calendar reads: a clinician's week or the practice's week, with the three dots."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

import pandas as pd

from thera_analytics.domain.actor import Actor, Role
from thera_analytics.domain.errors import PermissionDenied
from thera_analytics.domain.kinds import EventKind
from thera_analytics.store import calendar as stored
from thera_analytics.store.database import Database

COLUMNS = (
    "event_id", "version", "kind", "kind_label", "event_group", "colour_family", "clinician_id",
    "clinician_name", "title", "starts_at", "ends_at", "local_start", "local_date",
    "duration_minutes", "direct", "service_id", "service_name", "client_names", "attendance",
    "clients", "unmarked", "status", "signed_at", "plan_saved", "dot_details", "dot_plan",
    "dot_outcome", "complete",
)
_EVENT_COLUMNS = (
    "event_id", "version", "kind", "clinician_id", "clinician_name", "title", "starts_at",
    "ends_at", "local_start", "local_date", "duration_minutes", "direct", "service_id",
    "service_name", "status", "signed_at", "dot_details", "dot_plan", "dot_outcome",
)
_KINDS = {k.value: k for k in EventKind}


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def week_events(db: Database, week: date, clinician_id: int | None = None) -> pd.DataFrame:
    """Events of the local week containing ``week``; one clinician's, or all when None.

    One row per event, in start order, with ``dot_details``, ``dot_plan``, ``dot_outcome`` and
    ``complete`` as the use cases stored them (False for non-client events, which carry no
    dots), its clients' names and marks (``client_names`` and ``attendance`` in name order, a
    ``-`` for a client not marked), and the names of its kind, clinician and service.
    """
    rows = stored.week_rows(db, monday(week), clinician_id)
    events = dict(zip(_EVENT_COLUMNS, zip(*rows, strict=True), strict=True)) if rows else {
        c: () for c in _EVENT_COLUMNS}
    ids = list(events["event_id"])
    names: dict[int, list[str]] = defaultdict(list)
    marks: dict[int, list[str]] = defaultdict(list)
    unmarked: dict[int, int] = defaultdict(int)
    for event_id, name, mark in stored.week_clients(db, ids):
        names[event_id].append(name)
        marks[event_id].append(mark or "-")
        unmarked[event_id] += mark is None
    kinds = [_KINDS[k] for k in events["kind"]]
    frame = pd.DataFrame({
        "event_id": pd.array(ids, dtype="int64"),
        "version": pd.array(events["version"], dtype="int32"),
        "kind": list(events["kind"]),
        "kind_label": [k.label for k in kinds],
        "event_group": [k.group.value for k in kinds],
        "colour_family": [k.colour_family.value for k in kinds],
        "clinician_id": pd.array(events["clinician_id"], dtype="int32"),
        "clinician_name": list(events["clinician_name"]),
        "title": list(events["title"]),
        "starts_at": _instants(events["starts_at"]),
        "ends_at": _instants(events["ends_at"]),
        "local_start": pd.to_datetime(pd.Series(events["local_start"], dtype=object)),
        "local_date": pd.to_datetime(pd.Series(events["local_date"], dtype=object)).astype(
            "datetime64[us]"),
        "duration_minutes": pd.array(events["duration_minutes"], dtype="int32"),
        "direct": pd.array(events["direct"], dtype="boolean"),
        "service_id": pd.array(events["service_id"], dtype="Int32"),
        "service_name": list(events["service_name"]),
        "client_names": [", ".join(names[i]) for i in ids],
        "attendance": [",".join(marks[i]) for i in ids],
        "clients": pd.array([len(names[i]) for i in ids], dtype="int64"),
        "unmarked": pd.array([unmarked[i] for i in ids], dtype="int64"),
        "status": list(events["status"]),
        "signed_at": _instants(events["signed_at"]),
        "plan_saved": pd.array(events["dot_plan"], dtype=bool),
        "dot_details": pd.array(events["dot_details"], dtype=bool),
        "dot_plan": pd.array(events["dot_plan"], dtype=bool),
        "dot_outcome": pd.array(events["dot_outcome"], dtype=bool),
    })
    frame["complete"] = frame["dot_details"] & frame["dot_plan"] & frame["dot_outcome"]
    return frame


def week_for(db: Database, actor: Actor, week: date,
             clinician_id: int | None = None) -> pd.DataFrame:
    """The week an actor may see: a clinician their own, a manager anyone's or everyone's."""
    if actor.role is Role.CLINICIAN:
        if clinician_id not in (None, actor.clinician_id):
            raise PermissionDenied("calendar: a clinician sees their own calendar")
        return week_events(db, week, actor.clinician_id)
    if actor.role is Role.MANAGER:
        return week_events(db, week, clinician_id)
    raise PermissionDenied("calendar: clients see their sessions in the portal")


def _instants(micros: tuple[int | None, ...]) -> pd.Series:
    """Epoch microseconds as UTC timestamps (NaT for none)."""
    return pd.to_datetime(pd.Series(micros, dtype="Int64"), unit="us", utc=True)

