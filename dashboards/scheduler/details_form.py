"""Step 1, Details: kind, service, clients, direct or indirect, people, reminders, time, repeat.

The form is this module; its parts with a life of their own are beside it: the reminders
(``reminder_rows``), the card that adds a third party (``third_party_card``) and the repeat and
series part (``repeat_form``).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from html import escape

import panel as pn
import param

from dashboards.scheduler.client_search import ClientSearch
from dashboards.scheduler.form_parts import (  # noqa: F401 - FORM_CSS re-exported for the steps
    FORM_CSS,
    field_row,
    section,
    time_options,
)
from dashboards.scheduler.reminder_rows import Recipient, ReminderRows
from dashboards.scheduler.repeat_form import RepeatForm
from dashboards.scheduler.third_party_card import ThirdPartyCard
from dashboards.shared.feedback import FEEDBACK_CSS, FieldErrors
from dashboards.shared.labels import option_labels
from thera_analytics.domain.actor import Actor
from thera_analytics.domain.details import EventDetails, RecipientKind, ReminderRequest
from thera_analytics.domain.errors import ValidationError
from thera_analytics.domain.kinds import CLIENT_KINDS, NON_CLIENT_KINDS, EventKind
from thera_analytics.domain.local_time import to_local
from thera_analytics.domain.record import EventRecord
from thera_analytics.domain.recurrence import Recurrence
from thera_analytics.practice import Practice
from thera_analytics.service import catalog

FIELDS = ("kind", "title", "service", "clients", "direct", "start", "end", "video_link",
          "team_members", "third_parties", "reminders", "repeat", "count", "until", "clinician")

KIND_GROUPS = {
    "Client events": {k.label: k.value for k in CLIENT_KINDS},
    "Non-client events": {k.label: k.value for k in NON_CLIENT_KINDS},
}
DIRECT_OPTIONS = {"Direct (client present)": True, "Indirect (without the client)": False}
DEFAULT_MINUTES = 50


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
        self.reminder_rows = ReminderRows(self.errors["reminders"], practice=self.practice)
        self.third_party = ThirdPartyCard(practice=self.practice, actor=self.actor)
        self.series = RepeatForm(self.errors)
        # The parts' widgets by the names the editor and tests use.
        self.repeat, self.ends = self.series.repeat, self.series.ends
        self.count, self.until, self.scope = self.series.count, self.series.until, \
            self.series.scope
        self.tp_toggle, self.tp_errors = self.third_party.toggle, self.third_party.errors
        self._third_party_names: dict[int, str] = {}
        self._client_names: dict[int, str] = {}
        self._options_for: int | None = -1

        self.kind.param.watch(self._on_kind, "value")
        self.clients.param.watch(self._on_people, "value")
        self.client_search.param.watch(self._on_client_found, "chosen")
        self.third_parties.param.watch(self._on_people, "value")
        self.service.param.watch(self._on_service, "value")
        self.start.param.watch(self._on_start, "value")
        self.third_party.param.watch(self._on_third_party_added, "added")
        self._layout = self._build_layout()
        self._load_options(force=True)
        self._on_kind()
        self._on_mode()

    # -- layout --------------------------------------------------------------------------------
    def _build_layout(self) -> pn.Column:
        e = self.errors
        self._client_part = pn.Column(
            self.service, e["service"], self.client_search, self.clients, e["clients"],
            self.direct, e["direct"],
            sizing_mode="stretch_width", margin=0)
        self._people_part = pn.Column(
            self.third_parties, e["third_parties"], self.third_party, section("Reminders"),
            self.reminder_rows, sizing_mode="stretch_width", margin=0)
        return pn.Column(
            self.kind, e["kind"], self.title, e["title"], self._client_part,
            section("When"),
            field_row(self.day, self.start, self.end), e["start"], e["end"],
            self.video_link, e["video_link"], self.team, e["team_members"], e["clinician"],
            self._people_part, self.series,
            sizing_mode="stretch_width", margin=0, stylesheets=[FEEDBACK_CSS],
        )

    def __panel__(self) -> pn.viewable.Viewable:
        return self._layout

    @property
    def _scope_part(self) -> pn.Column:
        return self.series.scope_part

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
        self.third_party.for_clients(
            {c: self._client_names.get(c, f"Client {c}") for c in chosen})

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
        self.reminder_rows.show(self._recipients())

    def _on_third_party_added(self, event: param.parameterized.Event) -> None:
        if event.new is None:
            return
        self._refresh_third_parties(keep=[*(self.third_parties.value or []), event.new])
        self.reminder_rows.show(self._recipients())

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

    @param.depends("is_new", "in_series", watch=True)
    def _on_mode(self) -> None:
        self.series.param.update(is_new=self.is_new, in_series=self.in_series)

    @param.depends("editable", watch=True)
    def _on_editable(self) -> None:
        for widget in (*self._inputs(), self.tp_toggle):
            widget.disabled = not self.editable
        self.reminder_rows.editable = self.editable
        if not self.editable:
            self.third_party.close()

    def _inputs(self) -> list[pn.widgets.Widget]:
        return [self.kind, self.title, self.service, self.client_search.input, self.clients,
                self.direct, self.day, self.start, self.end, self.video_link, self.team,
                self.third_parties, *self.series.widgets(), *self.reminder_rows.widgets()]

    # -- reminders -----------------------------------------------------------------------------
    def _recipients(self) -> list[Recipient]:
        people = [(RecipientKind.CLIENT.value, c, self._client_names.get(c, f"Client {c}"))
                  for c in self.clients.value or []]
        people += [(RecipientKind.THIRD_PARTY.value, t,
                    self._third_party_names.get(t, f"Third party {t}"))
                   for t in self.third_parties.value or []]
        return people

    def reminders(self) -> tuple[ReminderRequest, ...]:
        """The reminders chosen for the event's clients and third parties."""
        return self.reminder_rows.requests(self._recipients())

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
        self.reminder_rows.reset()
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
        self._refresh_third_parties(keep=[])
        self.reminder_rows.show(self._recipients())
        self.reminder_rows.show_states(None)
        self.series.reset(until=start.date() + timedelta(weeks=12))
        self.third_party.close()

    def load(self, rec: EventRecord) -> None:
        """Show a saved event."""
        self.errors.clear()
        self.tp_errors.clear()
        self.reminder_rows.reset()  # before the clients change: nothing carries over
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
        for r in rec.reminders:
            self.reminder_rows.set((r.recipient_kind.value, r.recipient_id), r.channel.value,
                                   r.lead_minutes)
        self._refresh_third_parties(keep=list(rec.third_party_ids))
        self.reminder_rows.show(self._recipients())
        self.reminder_rows.show_states(rec)
        self.scope.value = "this"
        self.third_party.close()

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
        """How a new event repeats (None: once)."""
        return self.series.recurrence()
