"""A week's events as a plain HTML table: the text alternative to a drawn week.

One row per event in time order, saying what the drawing says with colour and position: day,
time, clinician, kind, clients (or title), what is done, and attendance or status. It sits in a
``<details>`` element, so it costs the reader nothing until opened and needs no widget to use by
keyboard or screen reader.
"""

from __future__ import annotations

from datetime import timedelta
from html import escape

import pandas as pd

from dashboards.shared.labels import done_text
from thera_analytics.domain.attendance import Attendance, SessionStatus

MAX_ROWS = 600  # a whole large practice's week is thousands: filter to see the rest

TABLE_CSS = """
.thera-week-table summary { cursor: pointer; font: 600 13px system-ui, sans-serif;
                            color: #0a3069; padding: 4px 0; }
.thera-week-table table { border-collapse: collapse; width: 100%;
                          font: 12.5px system-ui, sans-serif; color: #1f2328; }
.thera-week-table th { text-align: left; border-bottom: 1px solid #d0d7de; padding: 3px 6px; }
.thera-week-table td { border-bottom: 1px solid #eaeef2; padding: 3px 6px; vertical-align: top; }
.thera-week-table caption { text-align: left; color: #57606a; padding: 2px 0 6px; }
"""


def _marks(row: pd.Series) -> str:
    if row["event_group"] != "client":
        return ""
    if bool(row["direct"]) if pd.notna(row["direct"]) else False:
        names = [n for n in str(row["client_names"]).split(", ") if n]
        values = str(row["attendance"]).split(",") if row["attendance"] else []
        return "; ".join(
            f"{name}: {Attendance(v).label if v and v != '-' else 'not marked'}"
            for name, v in zip(names, values, strict=False))
    status = row["status"]
    return f"Status: {SessionStatus(status).label}" if isinstance(status, str) and status \
        else "Status: not marked"


def week_table_html(events: pd.DataFrame, caption: str) -> str:
    """The events as a table inside a closed ``<details>`` (every text escaped)."""
    rows = []
    shown = events.sort_values(["local_start", "clinician_name"]) if len(events) else events
    for _, row in shown.head(MAX_ROWS).iterrows():
        start = pd.Timestamp(row["local_start"])
        end = start + timedelta(minutes=int(row["duration_minutes"]))
        client = row["event_group"] == "client"
        who = row["client_names"] if client else (row["title"] or "")
        done = done_text((bool(row["dot_details"]), bool(row["dot_plan"]),
                          bool(row["dot_outcome"]))) if client else ""
        cells = (f"{start:%a %-d %b}", f"{start:%H:%M}–{end:%H:%M}", row["clinician_name"],
                 row["kind_label"], who, done, _marks(row))
        rows.append("<tr>" + "".join(f"<td>{escape(str(c))}</td>" for c in cells) + "</tr>")
    more = len(events) - len(rows)
    note = f" Showing the first {len(rows)}; filter to see the other {more}." if more > 0 else ""
    head = "".join(f'<th scope="col">{h}</th>' for h in (
        "Day", "Time", "Clinician", "Kind", "Clients or title", "Done", "Attendance or status"))
    count = f"{len(events)} event{'' if len(events) == 1 else 's'}"
    return (f'<details class="thera-week-table"><summary>The week as a table ({count})'
            f"</summary><table><caption>{escape(caption)}{escape(note)}"
            f"</caption><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
            "</details>")
