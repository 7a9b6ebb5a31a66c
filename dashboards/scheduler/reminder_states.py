"""What became of each reminder of an event (pending, sent, failed, cancelled), for step 1."""

from __future__ import annotations

from datetime import datetime
from html import escape
from zoneinfo import ZoneInfo

import pandas as pd

from thera_analytics.domain.local_time import to_local

NO_MAIL_SERVER = ("No mail server is set up yet, so email reminders wait in the queue until one "
                  "is (THERA_SMTP_HOST); browser reminders reach the client portal.")

STATES_CSS = """
.thera-reminder-states { list-style: none; margin: 2px 0; padding: 0;
                         font: 12.5px system-ui, sans-serif; color: #1f2328; }
.thera-reminder-states li { margin: 2px 0; overflow-wrap: anywhere; }
.thera-reminder-states .state { font-weight: 600; }
.thera-reminder-states .failed { color: #a40e26; }
"""


def _lead(minutes: int) -> str:
    if minutes % 1440 == 0:
        days = minutes // 1440
        return f"{days} day{'s' if days != 1 else ''} before"
    if minutes % 60 == 0:
        hours = minutes // 60
        return f"{hours} hour{'s' if hours != 1 else ''} before"
    return f"{minutes} minutes before"


def _when(value: object, zone: ZoneInfo) -> str:
    if value is None or pd.isna(value):  # type: ignore[arg-type]
        return ""
    instant = pd.Timestamp(value).to_pydatetime()
    assert isinstance(instant, datetime)
    return f"{to_local(instant, zone):%a %-d %b %H:%M}"


def state_text(row: pd.Series, zone: ZoneInfo) -> tuple[str, str]:
    """(state label, what it means) for one row of ``service.reminders.queue``."""
    state, error = str(row["state"]), row["last_error"]
    error = "" if error is None or pd.isna(error) else str(error)
    if state == "sent":
        return "Sent", f"at {_when(row['sent_at'], zone)}"
    if state == "failed":
        return "Failed", error or "gave up"
    if state == "cancelled":
        return "Cancelled", error
    retry = f"; the last try failed ({error}), trying again" if error else ""
    return "Pending", f"due {_when(row['due_at'], zone)}{retry}"


def reminder_states_html(queue: pd.DataFrame, zone: ZoneInfo) -> str:
    """One line per reminder of the event, newest due first; empty when there are none."""
    if queue.empty:
        return ""
    items = []
    for _, row in queue.iterrows():
        label, detail = state_text(row, zone)
        channel = "Email" if row["channel"] == "email" else "Browser"
        cls = "state failed" if label == "Failed" else "state"
        items.append(
            f"<li>{escape(channel)} to {escape(str(row['recipient_name'] or ''))}, "
            f"{escape(_lead(int(row['lead_minutes'])))}: <span class=\"{cls}\">{label}</span>"
            + (f" {escape(detail)}" if detail else "") + "</li>")
    return ('<ul class="thera-reminder-states" aria-label="Reminders sent and queued">'
            + "".join(items) + "</ul>")
