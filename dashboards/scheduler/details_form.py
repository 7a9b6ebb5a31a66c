"""Step 1, Details: kind, service, clients, direct or indirect, people, reminders, time, repeat."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from html import escape

import panel as pn
import param

from dashboards.scheduler.client_search import ClientSearch
from dashboards.scheduler.feedback import FEEDBACK_CSS, FieldErrors, split_refusal
from dashboards.scheduler.read_only import keep_readable
from dashboards.scheduler.reminder_states import NO_MAIL_SERVER, STATES_CSS, reminder_states_html
from dashboards.shared.labels import option_labels
from thera_analytics.domain.actor import Actor
from thera_analytics.domain.details import Channel, EventDetails, RecipientKind, ReminderRequest
from thera_analytics.domain.errors import PracticeError, ValidationError
from thera_analytics.domain.kinds import CLIENT_KINDS, NON_CLIENT_KINDS, EventKind
from thera_analytics.domain.local_time import to_local
from thera_analytics.domain.recurrence import Recurrence
from thera_analytics.practice import Practice
from thera_analytics.service import catalog, reminders
from thera_analytics.service.notifications import email_configured
from thera_analytics.service.records import EventRecord

FIELDS = ("kind", "title", "service", "clients", "direct", "start", "end", "video_link",
          "team_members", "third_parties", "reminders", "repeat", "count", "until", "clinician")
THIRD_PARTY_FIELDS = ("client", "name", "relationship", "email")

KIND_GROUPS = {
    "Client events": {k.label: k.value for k in CLIENT_KINDS},
    "Non-client events": {k.label: k.value for k in NON_CLIENT_KINDS},
}
DIRECT_OPTIONS = {"Direct (client present)": True, "Indirect (without the client)": False}
REPEAT_OPTIONS = {"Does not repeat": 0, "Weekly": 1, "Fortnightly": 2}
ENDS_OPTIONS = {"After a number of sessions": "count", "On a date": "until"}
SCOPE_OPTIONS = {"This session only": "this", "This and all following": "following"}
CHANNEL_OPTIONS = {"No reminder": "", "Email": Channel.EMAIL.value,
                   "Browser": Channel.BROWSER.value}
# Third parties have no portal: a browser reminder would reach nobody.
THIRD_PARTY_CHANNEL_OPTIONS = {"No reminder": "", "Email": Channel.EMAIL.value}
LEAD_OPTIONS = {"15 minutes before": 15, "1 hour before": 60, "2 hours before": 120,
                "1 day before": 1440, "2 days before": 2880}
DEFAULT_MINUTES = 50

FORM_CSS = """
.thera-section { font: 600 12px system-ui, sans-serif; color: #57606a; text-transform: uppercase;
                 letter-spacing: .04em; margin-top: 6px; }
.thera-recipient { font: 13px system-ui, sans-serif; color: #1f2328; padding-top: 8px;
                   overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.thera-hint { font: 12.5px system-ui, sans-serif; color: #57606a; }
"""


def time_options(extra: list[str] | None = None) -> list[str]:
    """Wall-clock times in quarter hours, plus any odd times an existing event uses."""
    base = [f"{h:02d}:{m:02d}" for h in range(24) for m in (0, 15, 30, 45)]
    return sorted(set(base) | set(extra or []))


def section(text: str) -> pn.pane.HTML:
    return pn.pane.HTML(f'<div class="thera-section">{escape(text)}</div>',
                        stylesheets=[FORM_CSS], margin=(8, 10, 0, 10))





class DetailsForm(pn.viewable.Viewer):
    """The details step; ``details()`` turns the form into what the core saves."""

    practice = param.ClassSelector(class_=Practice)
    actor = param.ClassSelector(class_=Actor)
    clinician_id = param.Integer(default=None, allow_None=True, doc="The event's owner.")
    is_new = param.Boolean(default=True)
    in_series = param.Boolean(default=False)
    editable = param.Boolean(default=True)

    def __init__(self, **params: object) -> None:
        super().__init__(**params)
        self.errors = FieldErrors(FIELDS)
        self.tp_errors = FieldErrors(THIRD_PARTY_FIELDS)
        w = pn.widgets
        self.kind = w.Select(label="Kind", groups=KIND_GROUPS, sizing_mode="stretch_width")
        self.title = w.TextInput(label="Title", placeholder="e.g. Supervision, reports",
                                 sizing_mode="stretch_width")
        self.service = w.Select(label="Service", options={}, sizing_mode="stretch_width")
        self.clients = w.MultiChoice(label="Client(s)", options={}, sizing_mode="stretch_width",
                                     placeholder="Type a name")
        self.client_search = ClientSearch()
        self.direct = w.RadioButtonGroup(label="Session type", options=DIRECT_OPTIONS,
                                         value=True, color="primary",
                                         variant="outline", sizing_mode="stretch_width")
        self.day = w.DatePicker(label="Date", width=140)
        self.start = w.Select(label="Start", options=time_options(), width=100)
        self.end = w.Select(label="End", options=time_options(), width=100)
        self.video_link = w.TextInput(label="Video join link",
                                      placeholder="https://…", sizing_mode="stretch_width")
        self.team = w.MultiChoice(label="Team members", options={},
                                  sizing_mode="stretch_width")
        self.third_parties = w.MultiChoice(label="Third-party participants", options={},
                                           sizing_mode="stretch_width")
        self.repeat = w.Select(label="Repeat", options=REPEAT_OPTIONS, value=0, width=150)
        self.ends = w.RadioButtonGroup(label="Ends", options=ENDS_OPTIONS, value="count",
                                       color="default", margin=(26, 10, 5, 10))
        self.count = w.IntInput(label="Sessions", value=6, start=1, end=260, width=90)
        self.until = w.DatePicker(label="Until", width=140)
        self.scope = w.RadioButtonGroup(label="Apply a time change to", options=SCOPE_OPTIONS,
                                        value="this", color="default")
        # Adding a third party for one of the clients.
        self.tp_toggle = w.Toggle(label="+ Add a third party", color="light",
                                  width=170)
        self.tp_client = w.Select(label="For client", options={}, sizing_mode="stretch_width")
        self.tp_name = w.TextInput(label="Name", placeholder="e.g. Dr Priya Raman",
                                   sizing_mode="stretch_width")
        self.tp_relationship = w.TextInput(label="Relationship", placeholder="GP, parent, teacher…",
                                           sizing_mode="stretch_width")
        self.tp_email = w.TextInput(label="Email (optional)", sizing_mode="stretch_width")
        self.tp_add = w.Button(label="Add third party", color="primary")
        self._reminder_rows: dict[tuple[str, int],
                                  tuple[pn.widgets.Select, pn.widgets.Select]] = {}
        self._reminder_views: dict[tuple[str, int], pn.Row] = {}
        self._reminders = pn.Column(sizing_mode="stretch_width", margin=0)
        self._no_recipients = pn.pane.HTML(
            '<div class="thera-hint">Choose clients or third parties to remind them.</div>',
            stylesheets=[FORM_CSS], margin=(0, 10))
        self._reminder_states = pn.pane.HTML("", stylesheets=[STATES_CSS], visible=False,
                                             sizing_mode="stretch_width", margin=(0, 10),
                                             css_classes=["thera-reminder-states-pane"])
        self._mail_note = pn.pane.HTML(f'<div class="thera-hint">{escape(NO_MAIL_SERVER)}</div>',
                                       stylesheets=[FORM_CSS], margin=(0, 10),
                                       visible=not email_configured(),
                                       css_classes=["thera-no-mail-server"])
        self._third_party_names: dict[int, str] = {}
        self._client_names: dict[int, str] = {}
        self._options_for: int | None = -1

        self.kind.param.watch(self._on_kind, "value")
        self.clients.param.watch(self._on_people, "value")
        self.client_search.param.watch(self._on_client_found, "chosen")
        self.third_parties.param.watch(self._on_people, "value")
        self.service.param.watch(self._on_service, "value")
        self.start.param.watch(self._on_start, "value")
        self.repeat.param.watch(self._on_repeat, "value")
        self.ends.param.watch(self._on_repeat, "value")
        self.tp_toggle.param.watch(self._on_tp_toggle, "value")
        self.tp_add.on_click(self._add_third_party)
        self._layout = self._build_layout()
        self._load_options(force=True)
        self._on_kind()
        self._on_repeat()
        self._on_tp_toggle()

    # -- layout --------------------------------------------------------------------------------
    def _build_layout(self) -> pn.Column:
        e = self.errors
        self._client_part = pn.Column(
            self.service, e["service"], self.client_search, self.clients, e["clients"],
            self.direct, e["direct"],
            sizing_mode="stretch_width", margin=0)
        self._tp_card = pn.Column(
            self.tp_client, self.tp_errors["client"], self.tp_name, self.tp_errors["name"],
            self.tp_relationship, self.tp_errors["relationship"], self.tp_email,
            self.tp_errors["email"], self.tp_add, sizing_mode="stretch_width",
            styles={"border": "1px solid #d0d7de", "border-radius": "6px"}, margin=(0, 10))
        self._people_part = pn.Column(
            self.third_parties, e["third_parties"], pn.Row(self.tp_toggle, margin=0),
            self._tp_card, section("Reminders"), self._no_recipients, self._reminders,
            e["reminders"], self._reminder_states, self._mail_note,
            sizing_mode="stretch_width", margin=0)
        self._repeat_part = pn.Column(
            section("Repeat"),
            pn.Row(self.repeat, self.ends, margin=0),
            pn.Row(self.count, self.until, margin=0),
            e["repeat"], e["count"], e["until"], sizing_mode="stretch_width", margin=0)
        self._scope_part = pn.Column(section("Series"), self.scope, sizing_mode="stretch_width",
                                     margin=0)
        return pn.Column(
            self.kind, e["kind"], self.title, e["title"], self._client_part,
            section("When"),
            pn.Row(self.day, self.start, self.end, margin=0), e["start"], e["end"],
            self.video_link, e["video_link"], self.team, e["team_members"], e["clinician"],
            self._people_part, self._repeat_part, self._scope_part,
            sizing_mode="stretch_width", margin=0, stylesheets=[FEEDBACK_CSS],
        )

    def __panel__(self) -> pn.viewable.Viewable:
        return self._layout

    # -- options -------------------------------------------------------------------------------
    def _load_options(self, *, force: bool = True) -> None:
        """Read services, clients and colleagues; opening an event reuses the lists unless
        they belong to another clinician (a new booking always reads them afresh)."""
        if not force and self._options_for == self.clinician_id:
            return
        self._options_for = self.clinician_id
        db = self.practice.db
        services = catalog.services(db)
        self._service_minutes = {int(i): int(m) for i, m in
                                 zip(services["id"], services["default_minutes"], strict=True)}
        self.service.options = {"— choose a service —": None,
                                **option_labels(services["name"], services["id"])}
        clients = catalog.clients(db, self.clinician_id)
        self._client_names = {int(i): str(n) for i, n in
                              zip(clients["id"], clients["name"], strict=True)}
        self.clients.options = option_labels(clients["name"], clients["id"], markup=True)
        self.client_search.load(clients)
        clinicians = catalog.clinicians(db)
        others = clinicians[clinicians["id"] != (self.clinician_id or -1)]
        self.team.options = option_labels(others["name"], others["id"], markup=True)

    def _refresh_third_parties(self, keep: list[int] | None = None) -> None:
        chosen = list(self.clients.value or [])
        frame = catalog.third_parties(self.practice.db, chosen) if chosen else None
        options: dict[str, int] = {}
        if frame is not None and len(frame):
            options = option_labels(frame["name"], frame["id"], frame["relationship"], markup=True)
            self._third_party_names = {
                int(i): f"{n} ({r})" for i, n, r in
                zip(frame["id"], frame["name"], frame["relationship"], strict=True)}
        keep = list(self.third_parties.value or []) if keep is None else keep
        self.third_parties.options = options
        self.third_parties.value = [t for t in keep if t in options.values()]
        self.tp_client.options = {self._client_names.get(c, f"Client {c}"): c for c in chosen}

    # -- reactions -----------------------------------------------------------------------------
    def _selected_kind(self) -> EventKind:
        return EventKind(self.kind.value)

    def _on_kind(self, *_: object) -> None:
        kind = self._selected_kind()
        client = kind.is_client_event
        self._client_part.visible = client
        self._people_part.visible = client
        self.title.label = "Title (optional)" if client else "Title"
        self.video_link.visible = kind is EventKind.VIDEO_SESSION
        self.team.label = "Participants (team members)" if kind in (
            EventKind.TEAM_MEETING, EventKind.CLIENT_TEAM_MEETING) else "Team members"

    def _on_client_found(self, event: param.parameterized.Event) -> None:
        chosen = list(self.clients.value or [])
        if event.new is not None and event.new not in chosen:
            self.clients.value = [*chosen, event.new]

    def _on_people(self, event: param.parameterized.Event) -> None:
        if event.obj is self.clients:
            self._refresh_third_parties()
        self._rebuild_reminders()

    def _on_service(self, event: param.parameterized.Event) -> None:
        minutes = self._service_minutes.get(event.new) if event.new is not None else None
        if minutes and self.is_new:
            self._set_end(self._start_dt() + timedelta(minutes=minutes))

    def _on_start(self, event: param.parameterized.Event) -> None:
        # Moving the start keeps the length.
        day = self.day.value or self._today()
        try:
            old = datetime.combine(day, time.fromisoformat(event.old))
            end = datetime.combine(day, time.fromisoformat(self.end.value))
        except (TypeError, ValueError):
            return
        length = end - old
        if length > timedelta(0):
            new_end = datetime.combine(day, time.fromisoformat(event.new)) + length
            if new_end.date() == day:
                self._set_end(new_end)

    def _on_repeat(self, *_: object) -> None:
        repeating = bool(self.repeat.value)
        self.ends.visible = repeating
        self.count.visible = repeating and self.ends.value == "count"
        self.until.visible = repeating and self.ends.value == "until"

    def _on_tp_toggle(self, *_: object) -> None:
        self._tp_card.visible = bool(self.tp_toggle.value)

    @param.depends("is_new", "in_series", watch=True, on_init=True)
    def _on_mode(self) -> None:
        if hasattr(self, "_repeat_part"):
            self._repeat_part.visible = self.is_new
            self._scope_part.visible = (not self.is_new) and self.in_series

    @param.depends("editable", watch=True)
    def _on_editable(self) -> None:
        for widget in (*self._inputs(), self.tp_toggle):
            widget.disabled = not self.editable
        if not self.editable:
            self.tp_toggle.value = False

    def _inputs(self) -> list[pn.widgets.Widget]:
        rows = [w for pair in self._reminder_rows.values() for w in pair]
        return [self.kind, self.title, self.service, self.client_search.input, self.clients,
                self.direct, self.day,
                self.start, self.end, self.video_link, self.team, self.third_parties,
                self.repeat, self.ends, self.count, self.until, self.scope, *rows]

    # -- reminders -----------------------------------------------------------------------------
    def _recipients(self) -> list[tuple[str, int, str]]:
        people = [(RecipientKind.CLIENT.value, c, self._client_names.get(c, f"Client {c}"))
                  for c in self.clients.value or []]
        people += [(RecipientKind.THIRD_PARTY.value, t,
                    self._third_party_names.get(t, f"Third party {t}"))
                   for t in self.third_parties.value or []]
        return people

    def _reminder_pair(self, key: tuple[str, int], name: str = "") -> tuple[
            pn.widgets.Select, pn.widgets.Select]:
        pair = self._reminder_rows.get(key)
        if pair is None:
            # The recipient's name labels their reminder (shown as text, never as HTML).
            options = (CHANNEL_OPTIONS if key[0] == RecipientKind.CLIENT.value
                       else THIRD_PARTY_CHANNEL_OPTIONS)
            pair = (pn.widgets.Select(label=f"Remind {name}", options=options,
                                      value="", sizing_mode="stretch_width", margin=(5, 10),
                                      disabled=not self.editable),
                    pn.widgets.Select(label="When", options=LEAD_OPTIONS, value=1440,
                                      width=150, margin=(5, 10), disabled=not self.editable))
            keep_readable(pair)
            self._reminder_rows[key] = pair
        return pair

    def _rebuild_reminders(self) -> None:
        rows = []
        for kind, pid, name in self._recipients():
            key = (kind, pid)
            row = self._reminder_views.get(key)
            if row is None:
                row = pn.Row(*self._reminder_pair(key, name), sizing_mode="stretch_width",
                             margin=0, css_classes=["thera-reminder-row"])
                self._reminder_views[key] = row
            rows.append(row)
        if rows != list(self._reminders.objects):
            self._reminders.objects = rows
        self._no_recipients.visible = not rows

    def _show_reminder_states(self, rec: EventRecord | None) -> None:
        """Each reminder of the saved event and what became of it (sent at, failed why...)."""
        html = "" if rec is None or not rec.is_client_event else reminder_states_html(
            reminders.queue(self.practice.db, event_id=rec.id), self.practice.db.zone)
        if self._reminder_states.object != html:
            self._reminder_states.object = html
        self._reminder_states.visible = bool(html)

    def _reset_reminders(self) -> None:
        for channel, lead in self._reminder_rows.values():
            channel.value = ""
            lead.options = LEAD_OPTIONS
            lead.value = 1440

    def reminders(self) -> tuple[ReminderRequest, ...]:
        out = []
        for kind, pid, _ in self._recipients():
            channel, lead = self._reminder_rows[(kind, pid)]
            if channel.value:
                out.append(ReminderRequest(RecipientKind(kind), pid, Channel(channel.value),
                                           int(lead.value)))
        return tuple(out)

    # -- filling -------------------------------------------------------------------------------
    def _set_end(self, end: datetime) -> None:
        text = f"{end:%H:%M}"
        if text not in self.end.options:
            self.end.options = time_options([*self.end.options, text])
        self.end.value = text

    def _today(self) -> date:
        """Today in the practice, on the practice's clock."""
        return to_local(self.practice.clock(), self.practice.db.zone).date()

    def _start_dt(self) -> datetime:
        return datetime.combine(self.day.value or self._today(),
                                time.fromisoformat(self.start.value))

    def load_new(self, start: datetime, clinician_id: int) -> None:
        """An empty form for a new event starting at ``start`` (wall-clock)."""
        self.errors.clear()
        self.tp_errors.clear()
        self.clinician_id = clinician_id
        self.is_new = True
        self.in_series = False
        self._load_options()
        self.kind.value = EventKind.CLIENT_SESSION.value
        self.title.value = ""
        self.service.value = None
        self.clients.value = []
        self.direct.value = True
        self.day.value = start.date()
        self.start.options = time_options([f"{start:%H:%M}"])
        self.start.value = f"{start:%H:%M}"
        self._set_end(start + timedelta(minutes=DEFAULT_MINUTES))
        self.video_link.value = ""
        self.team.value = []
        self._reset_reminders()
        self._refresh_third_parties(keep=[])
        self._rebuild_reminders()
        self._show_reminder_states(None)
        self.repeat.value = 0
        self.ends.value = "count"
        self.count.value = 6
        self.until.value = start.date() + timedelta(weeks=12)
        self.scope.value = "this"
        self.tp_toggle.value = False

    def load(self, rec: EventRecord) -> None:
        """Show a saved event."""
        self.errors.clear()
        self.tp_errors.clear()
        self.clinician_id = rec.clinician_id
        self.is_new = False
        self.in_series = rec.series_id is not None
        self._load_options(force=False)
        zone = self.practice.db.zone
        start, end = to_local(rec.start, zone), to_local(rec.end, zone)
        self.kind.value = rec.kind.value
        self.title.value = rec.title or ""
        if rec.service_id is not None and rec.service_id not in self.service.options.values():
            self.service.options = {**self.service.options,
                                    f"{rec.service_name} (no longer offered)": rec.service_id}
        self.service.value = rec.service_id
        missing = {c.client_id: c.name for c in rec.clients
                   if c.client_id not in self.clients.options.values()}
        if missing:  # an inactive client still shows on their old sessions
            self.clients.options = {**self.clients.options,
                                    **{escape(n): i for i, n in missing.items()}}
            self._client_names.update(missing)
        self.clients.value = list(rec.client_ids)
        self.direct.value = True if rec.direct is None else bool(rec.direct)
        self.day.value = start.date()
        self.start.options = time_options([f"{start:%H:%M}"])
        self.start.value = f"{start:%H:%M}"
        self.end.options = time_options([f"{end:%H:%M}"])
        self.end.value = f"{end:%H:%M}"
        self.video_link.value = rec.video_link or ""
        self.team.value = list(rec.team_member_ids)
        self._reset_reminders()
        self._refresh_third_parties(keep=list(rec.third_party_ids))
        for r in rec.reminders:
            key = (r.recipient_kind.value, r.recipient_id)
            names = {(k, i): n for k, i, n in self._recipients()}
            channel, lead = self._reminder_pair(key, names.get(key, ""))
            if r.lead_minutes not in LEAD_OPTIONS.values():
                lead.options = {**LEAD_OPTIONS, f"{r.lead_minutes} minutes before": r.lead_minutes}
            if r.channel.value in channel.options.values():
                channel.value = r.channel.value
                lead.value = r.lead_minutes
        self._rebuild_reminders()
        self._show_reminder_states(rec)
        self.scope.value = "this"
        self.tp_toggle.value = False

    # -- reading -------------------------------------------------------------------------------
    def times(self) -> tuple[datetime, datetime]:
        """Start and end as wall-clock times in the practice's zone."""
        if self.day.value is None:
            raise ValidationError("start", "choose a date")
        start = self._start_dt()
        end = datetime.combine(self.day.value, time.fromisoformat(self.end.value))
        return start, end

    def details(self) -> EventDetails:
        """The form as the core's EventDetails (wall-clock start and end)."""
        kind = self._selected_kind()
        start, end = self.times()
        client = kind.is_client_event
        return EventDetails(
            kind=kind,
            clinician_id=int(self.clinician_id) if self.clinician_id is not None else -1,
            start=start,
            end=end,
            title=self.title.value or "",
            service_id=self.service.value if client else None,
            client_ids=tuple(self.clients.value or ()) if client else (),
            direct=bool(self.direct.value) if client else None,
            team_member_ids=tuple(self.team.value or ()),
            third_party_ids=tuple(self.third_parties.value or ()) if client else (),
            reminders=self.reminders() if client else (),
            video_link=(self.video_link.value.strip() or None)
            if kind is EventKind.VIDEO_SESSION else None,
        )

    def recurrence(self) -> Recurrence | None:
        if not self.is_new or not self.repeat.value:
            return None
        if self.ends.value == "count":
            return Recurrence(int(self.repeat.value), count=int(self.count.value or 0))
        if self.until.value is None:
            raise ValidationError("until", "choose the date of the last session")
        return Recurrence(int(self.repeat.value), until=self.until.value)

    # -- third parties -------------------------------------------------------------------------
    def _add_third_party(self, _: object) -> None:
        self.tp_errors.clear()
        if self.tp_client.value is None:
            self.tp_errors.show("client", "choose the client this person is connected to")
            return
        try:
            new_id = catalog.add_third_party(
                self.practice.db, int(self.tp_client.value), self.tp_name.value or "",
                self.tp_relationship.value or "", self.practice.now(),
                email=(self.tp_email.value or "").strip() or None, actor=self.actor)
        except PracticeError as exc:
            field, message = split_refusal(exc)
            if not self.tp_errors.show(field, message):
                self.tp_errors.show("name", message)
            return
        self._refresh_third_parties(keep=[*(self.third_parties.value or []), new_id])
        self._rebuild_reminders()
        self.tp_name.value = self.tp_relationship.value = self.tp_email.value = ""
        self.tp_toggle.value = False
