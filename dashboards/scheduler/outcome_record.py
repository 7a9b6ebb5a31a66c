"""The outcome step's read-only parts as HTML: the signature line, the locked record, the
amendment history and the comments."""

from __future__ import annotations

from datetime import datetime
from html import escape
from zoneinfo import ZoneInfo

from thera_analytics.domain.labels import field_label, value_label
from thera_analytics.domain.local_time import to_local
from thera_analytics.domain.record import EventRecord

NOT_MARKED = "— not marked —"

RECORD_CSS = """
.thera-record { font: 13.5px system-ui, sans-serif; color: #1f2328; }
.thera-record dt { font-weight: 600; color: #57606a; margin-top: 8px; font-size: 12px;
                   text-transform: uppercase; letter-spacing: .04em; }
.thera-record dd { margin: 2px 0 0 0; white-space: pre-wrap; overflow-wrap: anywhere; }
.thera-chip { display: inline-block; padding: 0 7px; border-radius: 10px; color: #1f2328;
              background: #ffffff !important; border: 2px solid; font-size: 12px;
              font-weight: 600; margin-left: 6px; }
.thera-history { border-collapse: collapse; width: 100%; font: 12.5px system-ui, sans-serif; }
.thera-history th { text-align: left; color: #57606a; border-bottom: 1px solid #d0d7de;
                    padding: 3px 4px; }
.thera-history td { border-bottom: 1px solid #eaeef2; padding: 3px 4px; vertical-align: top;
                    white-space: pre-wrap; overflow-wrap: anywhere; }
.thera-comment { border-left: 3px solid #8c959f; padding: 2px 8px; margin: 6px 0;
                 font: 13px system-ui, sans-serif; }
.thera-comment .meta { color: #57606a; font-size: 12px; }
.thera-comment .body { white-space: pre-wrap; overflow-wrap: anywhere; }
"""

SECTION = ('<div style="font: 600 12px system-ui, sans-serif; color: #57606a; '
            'text-transform: uppercase; letter-spacing: .04em; margin: 12px 0 4px">{}</div>')


def chip(label: str, colour: str) -> str:
    # Dark text on white inside a border of the value's colour: readable (WCAG AA) whatever
    # the colour, and the label, not the colour, says the value.
    return (f'<span class="thera-chip" style="border-color:{colour}">'
            f"{escape(label)}</span>")


def signature_html(rec: EventRecord, now: datetime, zone: ZoneInfo) -> str:
    """The signature line: who signed, when, and until when amendments are possible."""
    if rec.signed_at is None:
        return ""
    signed = to_local(rec.signed_at, zone)
    until = rec.amendable_until()
    assert until is not None
    closes = to_local(until, zone)
    who = rec.signed_by or "the clinician"
    if rec.locked(now):
        text = (f"Signed by {who} on {signed:%a %-d %b %Y %H:%M}. The 24-hour amendment "
                f"window closed on {closes:%a %-d %b %H:%M}: this record is locked and "
                "only comments can be added.")
        kind = "info"
    else:
        text = (f"Signed by {who} on {signed:%a %-d %b %Y %H:%M}. Amendments are possible "
                f"until {closes:%a %-d %b %H:%M}; each keeps the previous value.")
        kind = "success"
    return (f'<div class="thera-notice {kind} thera-signature">{escape(text)}</div>')


def record_html(rec: EventRecord) -> str:
    """The locked record: marks or status, note and homework, read only."""
    parts = ['<dl class="thera-record">']
    if rec.direct:
        parts.append("<dt>Attendance</dt>")
        for c in rec.clients:
            mark = (chip(c.attendance.label, c.attendance.colour) if c.attendance
                    else escape(NOT_MARKED))
            parts.append(f"<dd>{escape(c.name)} {mark}</dd>")
    else:
        status = rec.status
        parts.append("<dt>Status</dt><dd>"
                     + (chip(status.label, status.colour) if status else "Not marked")
                     + "</dd>")
    parts.append(f'<dt>Session note</dt><dd class="thera-note">{escape(rec.note or "—")}</dd>')
    flags = ", ".join(x for x, on in (("enabled", rec.homework_enabled),
                                       ("shared with the client", rec.homework_shared)) if on)
    parts.append(f"<dt>Homework{(' (' + escape(flags) + ')') if flags else ''}</dt>"
                 f'<dd class="thera-homework">{escape(rec.homework or "—")}</dd>')
    parts.append("</dl>")
    return "".join(parts)


def history_html(rec: EventRecord, zone: ZoneInfo) -> str:
    """The amendments made within the 24-hour window, oldest first."""
    names = {c.client_id: c.name for c in rec.clients}
    rows = []
    for a in rec.amendments:
        field = field_label(a.field)
        if a.client_id is not None:
            field += f" ({names.get(a.client_id, a.client_id)})"
        rows.append(
            f"<tr><td>{to_local(a.amended_at, zone):%-d %b %H:%M}</td>"
            f"<td>{escape(a.amended_by)}</td><td>{escape(field)}</td>"
            f"<td>{escape(value_label(a.field, a.previous_value))}</td>"
            f"<td>{escape(value_label(a.field, a.new_value))}</td></tr>")
    return ('<table class="thera-history"><thead><tr><th>When</th><th>Who</th>'
            "<th>Field</th><th>Was</th><th>Now</th></tr></thead><tbody>"
            + "".join(rows) + "</tbody></table>")


def comments_html(rec: EventRecord, zone: ZoneInfo) -> str:
    """The comments added to the record, oldest first."""
    if not rec.comments:
        return '<div class="thera-comment"><span class="meta">No comments yet.</span></div>'
    return "".join(
        f'<div class="thera-comment"><div class="meta">{escape(c.author)} · '
        f"{to_local(c.created_at, zone):%a %-d %b %Y %H:%M}</div>"
        f'<div class="body">{escape(c.body)}</div></div>'
        for c in rec.comments)
