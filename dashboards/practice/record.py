"""One event's record, read-only, in a drawer at the side of the page.

The manager reads every record (``records.load`` checks the reader may) but changes nothing
here: editing is the owning clinician's, in the scheduler. Every text from the database is
escaped, and notes keep their line breaks.
"""

from __future__ import annotations

from datetime import datetime
from html import escape
from zoneinfo import ZoneInfo

import panel as pn
import param

from dashboards.practice.context import PracticeContext
from dashboards.practice.tables import scheduler_link_prefix
from dashboards.shared import record_head
from thera_analytics.domain import palette
from thera_analytics.domain.errors import PracticeError
from thera_analytics.domain.labels import field_label, value_label
from thera_analytics.domain.local_time import to_local
from thera_analytics.domain.record import EventRecord
from thera_analytics.service import catalog, records

DRAWER_WIDTH = 430

RECORD_CSS = """
:host { font: 13px system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif;
        color: #1f2328; }
.head { padding: 10px 12px; border-left: 6px solid var(--edge); background: var(--fill);
        border-radius: 6px; }
.head .kind { font-weight: 700; font-size: 15px; }
.head .who { font-size: 14px; margin-top: 2px; overflow-wrap: anywhere; }
.head .when { color: #32383f; margin-top: 2px; }
.dots { margin-top: 6px; display: flex; gap: 12px; flex-wrap: wrap; }
.dot { display: inline-flex; align-items: center; gap: 4px; }
.dot i, .mark i { width: 10px; height: 10px; display: inline-block; border: 1px solid #fff; }
.dot i { border-radius: 50%; }
h4 { font-size: 13px; margin: 14px 0 4px; color: #57606a; text-transform: uppercase;
     letter-spacing: 0.04em; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 3px 12px; margin: 0; }
dt { color: #57606a; }
dd { margin: 0; overflow-wrap: anywhere; }
.text { white-space: pre-wrap; overflow-wrap: anywhere; background: #f6f8fa;
        border-radius: 4px; padding: 6px 8px; margin: 2px 0 6px; }
.none { color: #57606a; font-style: italic; }
.lock { margin-top: 8px; padding: 6px 8px; border-radius: 4px; background: #f6f8fa; }
.history { margin: 0; padding-left: 18px; }
.readonly { color: #57606a; font-size: 12px; margin-top: 10px; }
a { color: #0a5cb8; }
"""

DRAWER_STYLES = {
    "position": "fixed", "top": "56px", "right": "0", "bottom": "0", "z-index": "20",
    "background": "#ffffff", "border-left": "1px solid #d0d7de",
    "box-shadow": "-6px 0 18px rgba(31, 35, 40, 0.18)", "overflow-y": "auto",
    "padding": "10px 14px",
}


class RecordPanel(pn.viewable.Viewer):
    """Shows one event's whole record, read-only; ``show(event_id)`` opens it."""

    context = param.ClassSelector(class_=PracticeContext)
    event_id = param.Integer(default=None, allow_None=True, doc="The event shown, if any.")
    record = param.ClassSelector(class_=EventRecord, default=None, allow_None=True)
    closed = param.Event(doc="The reader closed the drawer.")
    drawer = param.Boolean(default=True, constant=True, doc=(
        "Float at the side of the page (served app); False shows it in place (notebook)."))

    def __init__(self, **params: object) -> None:
        super().__init__(**params)
        self._body = pn.pane.HTML("", stylesheets=[RECORD_CSS], sizing_mode="stretch_width",
                                  margin=0, css_classes=["thera-record"])
        self._close = pn.widgets.Button(label="✕ Close", color="light", width=90,
                                        description="Close the record")
        self._close.on_click(lambda _: self.hide())
        self._drawer = pn.Column(
            pn.Row(pn.pane.HTML("<b>Record</b> · read-only", margin=(12, 5)),
                   pn.layout.HSpacer(), self._close, sizing_mode="stretch_width", margin=0),
            self._body, width=DRAWER_WIDTH, visible=False,
            styles=DRAWER_STYLES if self.drawer else {},
            css_classes=["thera-record-panel"], margin=0)

    def show(self, event_id: int) -> bool:
        """Open an event's record; False (and a message) when it cannot be read."""
        try:
            rec = records.load(self.context.db.cursor(), int(event_id), self.context.actor)
        except PracticeError as exc:
            self.record, self.event_id = None, None
            self._body.object = f'<p class="none">{escape(str(exc))}</p>'
            self._drawer.visible = True
            return False
        self.record, self.event_id = rec, rec.id
        self._body.object = record_html(rec, self.context, self._names(rec))
        self._drawer.visible = True
        return True

    def hide(self) -> None:
        self._drawer.visible = False
        self.record, self.event_id = None, None
        self.closed = True

    def _names(self, rec: EventRecord) -> dict[str, dict[int, str]]:
        db = self.context.db
        team = {}
        if rec.team_member_ids:
            frame = catalog.clinicians(db)
            team = dict(zip(frame["id"].astype(int), frame["name"].astype(str), strict=True))
        third = {}
        if rec.third_party_ids and rec.client_ids:
            frame = catalog.third_parties(db, list(rec.client_ids))
            third = {int(i): f"{n} ({r})" for i, n, r in
                     zip(frame["id"], frame["name"], frame["relationship"], strict=True)}
        return {"team": team, "third": third}

    def __panel__(self) -> pn.viewable.Viewable:
        return self._drawer


def record_html(rec: EventRecord, context: PracticeContext,
                names: dict[str, dict[int, str]] | None = None) -> str:
    """The whole record as HTML, every text escaped."""
    names = names or {"team": {}, "third": {}}
    zone = context.zone
    now = context.clock()

    def local(moment: datetime | None) -> str:
        return "" if moment is None else f"{to_local(moment, zone):%a %-d %b %Y, %H:%M}"

    parts = [head_html(rec, zone)]
    details: list[tuple[str, str]] = []
    if rec.is_client_event:
        details.append(("Service", escape(rec.service_name or "none")))
        details.append(("Client present", value_label("direct", rec.direct)))
        clients = "<br>".join(_client_line(c.name, c.attendance.value if c.attendance else None,
                                           bool(rec.direct)) for c in rec.clients)
        details.append(("Clients", clients or '<span class="none">none</span>'))
    elif rec.title:
        details.append(("Title", escape(rec.title)))
    details.append(("Clinician", escape(rec.clinician_name)))
    if rec.team_member_ids:
        details.append(("Team", escape(", ".join(names["team"].get(i, f"#{i}")
                                                 for i in rec.team_member_ids))))
    if rec.third_party_ids:
        details.append(("Third parties", escape(", ".join(
            names["third"].get(i, f"#{i}") for i in rec.third_party_ids))))
    if rec.reminders:
        details.append(("Reminders", str(len(rec.reminders))))
    if rec.video_link:
        details.append(("Video link", "yes"))
    if rec.series_id is not None:
        details.append(("Repeats", "yes, part of a series"))
    parts.append("<h4>1 · Details</h4>" + _dl(details))

    if rec.is_client_event:
        plan = [("Plan", _text(rec.plan_text)), ("Previous homework", _text(
            rec.previous_homework)), ("Previous note", _text(rec.previous_note))]
        saved = f" · saved {escape(local(rec.plan_saved_at))}" if rec.plan_saved_at else ""
        parts.append(f"<h4>2 · Plan{saved}</h4>" + (
            _dl(plan) if rec.plan_saved_at else '<p class="none">No plan saved.</p>'))

        outcome: list[tuple[str, str]] = []
        if not rec.direct:
            outcome.append(("Status", _status(rec.status.value if rec.status else None)))
        outcome.append(("Note", _text(rec.note)))
        flags = [w for w, on in (("enabled", rec.homework_enabled),
                                 ("shared with the client", rec.homework_shared)) if on]
        outcome.append(("Homework", _text(rec.homework) + (
            f'<span class="none">{escape(", ".join(flags))}</span>' if flags else "")))
        if rec.signed_at is not None:
            until = rec.amendable_until()
            lock = (f"Amendable until {escape(local(until))}" if rec.amendable(now)
                    else f"Locked since {escape(local(until))}: only comments can be added")
            outcome.append(("Signed", f"{escape(rec.signed_by or 'unknown')}, "
                                      f"{escape(local(rec.signed_at))}"
                                      f'<div class="lock">{lock}</div>'))
        else:
            outcome.append(("Signed", '<span class="none">not signed</span>'))
        parts.append("<h4>3 · Outcome</h4>" + _dl(outcome))

    if rec.amendments:
        items = "".join(
            f"<li>{escape(local(a.amended_at))} · {escape(a.amended_by)} changed "
            f"{escape(_amended_field(rec, a.field, a.client_id))}: "
            f"“{escape(value_label(a.field, a.previous_value))}” → "
            f"“{escape(value_label(a.field, a.new_value))}”</li>" for a in rec.amendments)
        parts.append(f'<h4>Amendments</h4><ul class="history">{items}</ul>')
    if rec.comments:
        items = "".join(
            f"<li>{escape(local(c.created_at))} · {escape(c.author)}"
            f'<div class="text">{escape(c.body)}</div></li>' for c in rec.comments)
        parts.append(f'<h4>Comments</h4><ul class="history">{items}</ul>')
    link = escape(f"{scheduler_link_prefix()}{rec.id}")
    parts.append(f'<p class="readonly">Read-only here. <a href="{link}" target="_blank">'
                 f"Open event {rec.id} in the scheduler</a></p>")
    return "".join(parts)


def head_html(rec: EventRecord, zone: ZoneInfo) -> str:
    """Kind, who, when and whose, and the three dots, on the kind's colours."""
    cancelled = ' <span class="none">(cancelled)</span>' if rec.cancelled_at else ""
    return record_head.head_html(
        rec.kind.colour_family, escape(record_head.kind_text(rec)) + cancelled,
        record_head.who_text(rec), record_head.when_text(rec, zone),
        record_head.dots_html(rec.dots), css_class="head",
        attributes=f' data-event="{rec.id}"')


def _dl(rows: list[tuple[str, str]]) -> str:
    return "<dl>" + "".join(f"<dt>{escape(k)}</dt><dd>{v}</dd>" for k, v in rows) + "</dl>"


def _text(value: str | None) -> str:
    if not value:
        return '<span class="none">none</span>'
    return f'<div class="text">{escape(value)}</div>'


def _client_line(name: str, attendance: str | None, direct: bool) -> str:
    if not direct:
        return escape(name)
    if attendance is None:
        return f'{escape(name)} · <span class="none">not marked</span>'
    label = value_label("attendance", attendance)
    return (f'{escape(name)} · <span class="mark"><i style="background:'
            f'{palette.ATTENDANCE[attendance]}"></i></span> {escape(label)}')


def _status(value: str | None) -> str:
    if value is None:
        return '<span class="none">not marked</span>'
    label = value_label("status", value)
    return (f'<span class="mark"><i style="background:{palette.STATUS[value]}"></i></span> '
            f"{escape(label)}")


def _amended_field(rec: EventRecord, field: str, client_id: int | None) -> str:
    """The field's label, and whose it is for a client's attendance."""
    label = field_label(field)
    if client_id is None:
        return label
    names = {c.client_id: c.name for c in rec.clients}
    return f"{label} ({names.get(client_id, f'client {client_id}')})"
