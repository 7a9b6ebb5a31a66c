"""Report tables as a reader sees them: headings in words, numbers with separators, no index.

The report functions return tidy DataFrames with analysts' column names (``billable_min``,
``oldest_hours``, ``direct_share``); a page, a Markdown file or a notebook cell shows them
through ``readable_table``: every column labelled in words with its unit ("Billable minutes",
"Oldest (hours)", "Direct share %"), shares as percentages, counts with thousands separators,
no DataFrame index, identifiers dropped. The data itself is not changed.
"""

from __future__ import annotations

import html
import math
import re
from datetime import date, datetime

import pandas as pd

# Column names in words; anything not listed is spelled out from its name.
LABELS: dict[str, str] = {
    "billing": "Billing",
    "sessions": "Client sessions",
    "minutes": "Minutes",
    "share": "Share %",
    "clinician": "Clinician",
    "service": "Service",
    "kind": "Kind",
    "total": "Total",
    "oldest_hours": "Oldest (hours)",
    "delay": "Signed after",
    "min_hours": "From (hours)",
    "max_hours": "To (hours)",
    "notes": "Notes",
    "cumulative_share": "Cumulative share %",
    "missing": "Missing",
    "week_start": "Week starting",
    "as_of": "As of",
    "backlog": "Backlog",
    "change": "Change",
    "client_events": "Client events",
    "ended": "Ended",
    "incomplete": "Incomplete",
    "direct_sessions": "Direct sessions",
    "direct_minutes": "Direct minutes",
    "indirect_sessions": "Indirect sessions",
    "indirect_minutes": "Indirect minutes",
    "other_events": "Other events",
    "other_minutes": "Other minutes",
    "leave_minutes": "Leave minutes",
    "direct_share": "Direct share %",
    "Billable min": "Billable minutes",
    "Not billable min": "Not billable minutes",
}
_UNITS = (("_share", " share %"), ("_hours", " (hours)"), ("_minutes", " minutes"),
          ("_min", " minutes"), ("_pct", " %"))


def column_label(name: object) -> str:
    """A column's heading in words, with its unit."""
    text = str(name)
    if text in LABELS:
        return LABELS[text]
    if "_" not in text:
        return text
    for suffix, unit in _UNITS:
        if text.endswith(suffix):
            text = text[: -len(suffix)] + unit.replace(" ", "\0", 1)
            break
    words = text.replace("_", " ").replace("\0", " ").strip()
    return words[:1].upper() + words[1:]


def is_share(name: object) -> bool:
    """A column holding a fraction of one, shown as a percentage."""
    text = str(name)
    return text == "share" or text.endswith("_share")


def readable_table(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` as text cells under headings in words; ids dropped, index reset."""
    keep = [c for c in table.columns if not (str(c).endswith("_id") or str(c) == "id")]
    out = pd.DataFrame(index=range(len(table)))
    for column in keep:
        values = table[column].tolist()
        share = is_share(column)
        if share:
            values = [v * 100 if isinstance(v, float) else v for v in values]
        floats = [v for v in values if isinstance(v, float) and math.isfinite(v)]
        # A rate keeps its decimal even when it happens to be whole ("8.0", beside "7.3").
        whole = not share and not str(column).endswith("%") and all(v == int(v) for v in floats)
        out[column_label(column)] = [cell_text(v, whole=whole) for v in values]
    return out


def cell_text(value: object, *, whole: bool = False) -> str:
    """One value as a reader reads it: ``39,000``, ``81.5``, ``2026-10-05 14:00``."""
    if value is None or value is pd.NaT or value is pd.NA:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        if math.isinf(value):
            return "no limit" if value > 0 else "-"
        return f"{int(value):,}" if whole else f"{value:,.1f}"
    if isinstance(value, pd.Timestamp | datetime):
        if value.hour or value.minute:
            return value.strftime("%Y-%m-%d %H:%M")
        return value.strftime("%Y-%m-%d")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def is_number_column(cells: pd.Series) -> bool:
    """A column of numbers (right-aligned on a page)."""
    return bool(len(cells)) and all(_NUMBER.fullmatch(c) or c == "" for c in cells)


_NUMBER = re.compile(r"-?[\d,]+(\.\d+)?")


def markdown_table(table: pd.DataFrame) -> str:
    """A report table as a GitHub-flavoured Markdown table a person can read as text."""
    if table.empty:
        return "_None._"
    shown = readable_table(table)
    numeric = [is_number_column(shown[c]) for c in shown.columns]
    header = "| " + " | ".join(markdown_text(c) for c in shown.columns) + " |"
    rule = "|" + "|".join("---:" if n else "---" for n in numeric) + "|"
    rows = ["| " + " | ".join(markdown_text(v) for v in row) + " |"
            for row in shown.itertuples(index=False)]
    return "\n".join([header, rule, *rows])


def markdown_text(text: object) -> str:
    """Text made safe in a Markdown table cell while staying readable: only what could start
    an HTML tag or entity, and the cell separator, are escaped."""
    value = re.sub(r"&(?=#?\w+;)", "&amp;", str(text))
    value = re.sub(r"<(?=[A-Za-z/!?])", "&lt;", value)
    return value.replace("|", "\\|")


def html_table(table: pd.DataFrame) -> str:
    """A report table as an HTML table: headings in words, numbers right-aligned, no index."""
    shown = readable_table(table)
    numeric = {c: is_number_column(shown[c]) for c in shown.columns}
    head = "".join(f'<th class="{"num" if numeric[c] else "text"}">{html.escape(c)}</th>'
                   for c in shown.columns)
    body = "".join(
        "<tr>" + "".join(f'<td class="{"num" if numeric[c] else "text"}">{html.escape(v)}</td>'
                         for c, v in zip(shown.columns, row, strict=True)) + "</tr>"
        for row in shown.itertuples(index=False))
    return (f'<table class="thera-table"><thead><tr>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table>")


TABLE_CSS = """
table.thera-table { border-collapse: collapse; font: 13px system-ui, sans-serif;
                    color: #1f2328; margin: 4px 0 12px; }
table.thera-table th, table.thera-table td { padding: 4px 10px; border-bottom: 1px solid #d0d7de; }
table.thera-table th { font-weight: 600; background: #f6f8fa; vertical-align: bottom; }
table.thera-table .num { text-align: right; font-variant-numeric: tabular-nums; }
table.thera-table .text { text-align: left; }
table.thera-table tbody tr:nth-child(even) { background: #fbfcfd; }
"""
