"""What changed: who changed which record, what and when, read from the append-only audit log.

One row per audit entry about an event (booked, details changed, moved, cancelled, plan,
outcome and attendance, amended, signed, comment) or about the cancellation reasons list, for
a period of local days and optionally one clinician or one client, newest first. ``details``
says in words what changed ("Attendance (Cara Cole): Not marked → Late cancellation").
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd

from thera_analytics.domain.kinds import EventKind
from thera_analytics.domain.labels import action_label, field_label, value_label
from thera_analytics.reports.period import Period
from thera_analytics.reports.source import Source, optional_id, practice_zone, run

COLUMNS = ["change_id", "logged_at", "who", "role", "action", "what", "event_id", "session",
           "clinician", "clients", "details"]
_CLIENT_FIELD = re.compile(r"^(attendance|reason)(?:\[|_)(\d+)\]?$")
_SKIPPED = {"reminders", "team_member_ids", "third_party_ids", "clinician_id"}


@dataclass
class _Names:
    """Client names and reason labels the details mention."""

    zone: ZoneInfo
    clients: dict[int, str] = field(default_factory=dict)
    reasons: dict[str, str] = field(default_factory=dict)

    def client(self, client_id: int) -> str:
        return self.clients.get(int(client_id), f"client {client_id}")


def changes(
    db: Source, start: date | str, end: date | str, *, clinician_id: int | str | None = None,
    client_id: int | str | None = None,
) -> pd.DataFrame:
    """Every change in the period's local days (optionally about one clinician's or one
    client's events), newest first, with ``what`` (the action in words) and ``details``."""
    period = Period.coerce(start, end)
    zone = practice_zone(db)
    since = datetime.combine(period.start, time(), zone)
    until = datetime.combine(period.end + timedelta(days=1), time(), zone)
    clinician = optional_id(clinician_id, "clinician_id")
    client = optional_id(client_id, "client_id")
    rows = run(db, "changes", [since, until, clinician, clinician, client, client,
                               clinician, client])
    if rows.empty:
        return pd.DataFrame(columns=COLUMNS)
    reasons = db.df("SELECT code, label FROM cancellation_reasons")
    names = _Names(zone, _client_names(db, rows),
                   dict(zip(reasons["code"], reasons["label"], strict=True)))
    rows["what"] = [action_label(a) for a in rows["action"]]
    rows["role"] = [value_label("role", r) if r else "System" for r in rows["role"]]
    rows["who"] = rows["who"].fillna("The system")
    rows["session"] = [_session(k, s, zone) for k, s in zip(rows["event_kind"],
                                                             rows["starts_at"], strict=True)]
    rows["details"] = [
        _details(a, _load(b), _load(f), names)
        for a, b, f in zip(rows["action"], rows["before"], rows["after"], strict=True)]
    rows["event_id"] = rows["event_id"].where(rows["entity"] == "event").astype("Int64")
    return rows[COLUMNS].reset_index(drop=True)


def change_table(table: pd.DataFrame, zone: ZoneInfo | None = None) -> pd.DataFrame:
    """The changes for reading (and downloading): local times, words, no ids."""
    out = pd.DataFrame(index=table.index)
    when = pd.to_datetime(table["logged_at"], utc=True)
    out["When"] = (when.dt.tz_convert(zone) if zone else when).dt.strftime("%Y-%m-%d %H:%M")
    out["Who"] = table["who"]
    out["Role"] = table["role"]
    out["What"] = table["what"]
    out["Session"] = table["session"]
    out["Clinician"] = table["clinician"].fillna("—")
    out["Clients"] = table["clients"].fillna("—")
    out["Details"] = table["details"]
    return out


def _load(value: Any) -> dict[str, Any]:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return {}
    loaded = json.loads(value) if isinstance(value, str) else value
    return loaded if isinstance(loaded, dict) else {}


def _client_names(db: Source, rows: pd.DataFrame) -> dict[int, str]:
    ids: set[int] = set()
    for text in (*rows["before"], *rows["after"]):
        for key, value in _load(text).items():
            match = _CLIENT_FIELD.match(key)
            if match:
                ids.add(int(match.group(2)))
            if key == "client_ids" and isinstance(value, list):
                ids.update(int(v) for v in value)
    if not ids:
        return {}
    marks = ", ".join("?" for _ in ids)
    found = db.df(f"SELECT id, name FROM clients WHERE id IN ({marks})", sorted(ids))
    return dict(zip(found["id"].astype(int), found["name"], strict=True))


def _local(value: Any, zone: ZoneInfo) -> str:
    moment = pd.Timestamp(value)
    if moment.tzinfo is None:
        moment = moment.tz_localize("UTC")
    return moment.tz_convert(zone).strftime("%a %-d %b %Y %H:%M")


def _session(kind: Any, starts_at: Any, zone: ZoneInfo) -> str:
    if kind is None or pd.isna(kind):
        return "—"
    return f"{EventKind(kind).label}, {_local(starts_at, zone)}"


def _value(key: str, value: Any, names: _Names) -> str:
    if key in ("start", "end", "cancelled_at", "signed_at") and value:
        return _local(value, names.zone)
    if key == "client_ids" and isinstance(value, list):
        return ", ".join(names.client(v) for v in value) or "none"
    if key.startswith("reason") and value:
        return names.reasons.get(str(value), str(value))
    return value_label(key.split("[")[0], value)


def _label(key: str, names: _Names) -> str:
    match = _CLIENT_FIELD.match(key)
    if match:
        field, client = match.group(1), int(match.group(2))
        head = "Cancellation reason" if field == "reason" else field_label(field)
        return f"{head} ({names.client(client)})"
    return {"client_ids": "Clients", "start": "Start", "end": "End", "title": "Title",
            "service_id": "Service", "video_link": "Video link", "body": "Comment",
            "cancelled_at": "Cancelled", "signed_at": "Signed", "reason": "Reason",
            "label": "Reason", "code": "Reason"}.get(key, field_label(key))


def _details(action: str, before: dict[str, Any], after: dict[str, Any],
             names: _Names) -> str:
    if action == "create_event":
        who = _value("client_ids", after.get("client_ids") or [], names)
        kind = EventKind(after["kind"]).label if after.get("kind") else "Event"
        start = _value("start", after.get("start"), names)
        return f"{kind} on {start}" + (f" with {who}" if after.get("client_ids") else "")
    if action == "comment":
        return f"“{after.get('body', '')}”"
    if action == "cancel":
        reason = after.get("reason")
        return "Taken off the calendar" + (
            f"; reason: {_value('reason', reason, names)}" if reason else "")
    if action in ("add_reason", "retire_reason"):
        return str(after.get("label") or after.get("code", "")).replace("_", " ")
    if action == "sign":
        return "Note signed"
    parts = []
    for key in after:
        if key in _SKIPPED or before.get(key) == after[key]:
            continue
        new = _value(key, after[key], names)
        if key in before or action != "save_plan":
            old = _value(key, before.get(key), names)
            parts.append(f"{_label(key, names)}: {old} → {new}")
        else:
            parts.append(f"{_label(key, names)}: {new}")
    return "; ".join(parts) if parts else "—"

