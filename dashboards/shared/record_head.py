"""The head of an event's record as HTML: its kind, who, when and whose, and the three dots,
on the kind's colours. The clinician's editor and the manager's record drawer both show it."""

from __future__ import annotations

from datetime import datetime
from html import escape
from zoneinfo import ZoneInfo

from thera_analytics.domain import palette
from thera_analytics.domain.dots import Dots
from thera_analytics.domain.local_time import to_local
from thera_analytics.domain.record import EventRecord

DOT_LABELS = ("Details", "Plan", "Outcome & signed")


def kind_text(rec: EventRecord) -> str:
    """The kind, and for a client event whether the client was present."""
    return rec.kind.label + ("" if rec.direct is None else
                             (" · direct" if rec.direct else " · indirect"))


def who_text(rec: EventRecord) -> str:
    """The clients of a client event, else its title."""
    return ", ".join(c.name for c in rec.clients) if rec.is_client_event else rec.title or ""


def when_text(rec: EventRecord, zone: ZoneInfo) -> str:
    """Day, start–end in the practice's time and the owning clinician."""
    start, end = to_local(rec.start, zone), to_local(rec.end, zone)
    return f"{start:%a %-d %b %Y, %H:%M}–{end:%H:%M} · {rec.clinician_name}"


def dots_html(dots: Dots | None) -> str:
    """The three dots, each named and ticked when green (nothing for a non-client event)."""
    if dots is None:
        return ""
    return '<div class="dots">' + "".join(
        f'<span class="dot" data-done="{str(ok).lower()}"><i style="background:'
        f'{palette.DOT_GREEN if ok else palette.DOT_GREY}"></i>{escape(label)}'
        f"{' ✓' if ok else ''}</span>"
        for label, ok in zip(DOT_LABELS, dots.as_tuple(), strict=True)) + "</div>"


def head_html(family: palette.ColourFamily, kind: str, who: str, when: str, dots: str = "", *,
              css_class: str, attributes: str = "") -> str:
    """The head block: ``kind`` (HTML), ``who`` and ``when`` (text), ``dots`` (HTML)."""
    return (f'<div class="{css_class}"{attributes} '
            f'style="--fill:{palette.FILL[family]};--edge:{palette.EDGE[family]}">'
            f'<div class="kind">{kind}</div>'
            f'<div class="who">{escape(who)}</div><div class="when">{escape(when)}</div>'
            f"{dots}</div>")


def new_event_when(start: datetime) -> str:
    """When a new event starts (wall-clock time, as the user clicked it)."""
    return f"{start:%a %-d %b %Y, %H:%M}"
