"""The details step's reminders: one row per person reminded (a client or a third party) with
the channel and how long before, and what became of each reminder of the saved event."""

from __future__ import annotations

from html import escape

import panel as pn
import param

from dashboards.scheduler.form_parts import FORM_CSS, field_row
from dashboards.scheduler.read_only import keep_readable
from dashboards.scheduler.reminder_states import NO_MAIL_SERVER, STATES_CSS, reminder_states_html
from thera_analytics.domain.details import Channel, RecipientKind, ReminderRequest
from thera_analytics.domain.record import EventRecord
from thera_analytics.practice import Practice
from thera_analytics.service import reminders
from thera_analytics.service.notifications import email_configured

CHANNEL_OPTIONS = {"No reminder": "", "Email": Channel.EMAIL.value,
                   "Browser": Channel.BROWSER.value}
# Third parties have no portal: a browser reminder would reach nobody.
THIRD_PARTY_CHANNEL_OPTIONS = {"No reminder": "", "Email": Channel.EMAIL.value}
LEAD_OPTIONS = {"15 minutes before": 15, "1 hour before": 60, "2 hours before": 120,
                "1 day before": 1440, "2 days before": 2880}

Recipient = tuple[str, int, str]  # kind, id, name
Key = tuple[str, int]


class ReminderRows(pn.viewable.Viewer):
    """A channel and a lead time per recipient; what was chosen for a recipient is kept while
    the form lives, so choosing a client again shows what was chosen for them.

    The rows are a pool that only grows: showing other recipients relabels the rows and sets
    their values, and hides the rows not needed. Replacing a layout's children makes Bokeh
    walk the whole page's models on the server and build new views in the browser; changing a
    few properties does neither (opening an event costs what it changes, not what it shows).
    """

    practice = param.ClassSelector(class_=Practice)
    editable = param.Boolean(default=True)

    def __init__(self, error: pn.viewable.Viewable, *, rows: int = 2,
                 **params: object) -> None:
        super().__init__(**params)
        self._pool: list[tuple[pn.FlexBox, pn.widgets.Select, pn.widgets.Select]] = []
        self._keys: list[Key] = []  # the recipient each shown row is for, in order
        self._chosen: dict[Key, tuple[str, int]] = {}  # channel and lead per recipient
        self._shown = pn.Column(sizing_mode="stretch_width", margin=0)
        self._no_recipients = pn.pane.HTML(
            '<div class="thera-hint">Choose clients or third parties to remind them.</div>',
            stylesheets=[FORM_CSS], margin=(0, 10))
        self._states = pn.pane.HTML("", stylesheets=[STATES_CSS], visible=False,
                                    sizing_mode="stretch_width", margin=(0, 10),
                                    css_classes=["thera-reminder-states-pane"])
        self._mail_note = pn.pane.HTML(f'<div class="thera-hint">{escape(NO_MAIL_SERVER)}</div>',
                                       stylesheets=[FORM_CSS], margin=(0, 10),
                                       visible=not email_configured(),
                                       css_classes=["thera-no-mail-server"])
        self._error = error
        self._grow(rows)

    def __panel__(self) -> pn.viewable.Viewable:
        return pn.Column(self._no_recipients, self._shown, self._error, self._states,
                         self._mail_note, sizing_mode="stretch_width", margin=0)

    def widgets(self) -> list[pn.widgets.Widget]:
        """Every row's channel and lead widgets, shown or not."""
        return [w for _, channel, lead in self._pool for w in (channel, lead)]

    @property
    def rows(self) -> dict[Key, tuple[pn.widgets.Select, pn.widgets.Select]]:
        """The channel and lead widgets of each recipient shown."""
        return {key: (channel, lead)
                for key, (_, channel, lead) in zip(self._keys, self._pool, strict=False)}

    @param.depends("editable", watch=True)
    def _on_editable(self) -> None:
        for widget in self.widgets():
            widget.disabled = not self.editable

    def _grow(self, size: int) -> None:
        """At least ``size`` rows in the pool (new ones hidden)."""
        added = []
        while len(self._pool) < size:
            channel = pn.widgets.Select(label="Remind", options=CHANNEL_OPTIONS, value="",
                                        sizing_mode="stretch_width", min_width=150,
                                        margin=(5, 10), disabled=not self.editable)
            lead = pn.widgets.Select(label="When", options=LEAD_OPTIONS, value=1440,
                                     width=150, margin=(5, 10), disabled=not self.editable)
            keep_readable((channel, lead))
            row = field_row(channel, lead, css_classes=["thera-reminder-row"], visible=False)
            self._pool.append((row, channel, lead))
            added.append(row)
        if added:
            self._shown.extend(added)

    def _remember(self) -> None:
        for key, (_, channel, lead) in zip(self._keys, self._pool, strict=False):
            self._chosen[key] = (channel.value or "", int(lead.value))

    def show(self, recipients: list[Recipient]) -> None:
        """One row per recipient, in the order given."""
        self._remember()
        self._grow(len(recipients))
        for i, (row, channel, lead) in enumerate(self._pool):
            if i >= len(recipients):
                row.visible = False
                continue
            kind, pid, name = recipients[i]
            value, minutes = self._chosen.get((kind, pid), ("", 1440))
            # The recipient's name labels their reminder (shown as text, never as HTML).
            options = (CHANNEL_OPTIONS if kind == RecipientKind.CLIENT.value
                       else THIRD_PARTY_CHANNEL_OPTIONS)
            leads = LEAD_OPTIONS if minutes in LEAD_OPTIONS.values() else {
                **LEAD_OPTIONS, f"{minutes} minutes before": minutes}
            channel.param.update(label=f"Remind {name}", options=options,
                                 value=value if value in options.values() else "")
            lead.param.update(options=leads, value=minutes)
            row.visible = True
        self._keys = [(kind, pid) for kind, pid, _ in recipients]
        self._no_recipients.visible = not recipients

    def show_states(self, rec: EventRecord | None) -> None:
        """Each reminder of the saved event and what became of it (sent at, failed why...)."""
        html = "" if rec is None or not rec.is_client_event else reminder_states_html(
            reminders.queue(self.practice.db, event_id=rec.id), self.practice.db.zone)
        if self._states.object != html:
            self._states.object = html
        self._states.visible = bool(html)

    def reset(self) -> None:
        """Forget what was chosen for every recipient (another event is shown)."""
        self._chosen.clear()
        self._keys = []

    def set(self, key: Key, channel_value: str, lead_minutes: int) -> None:
        """A saved reminder, shown when its recipient's row is (an unusual lead time gets its
        own option)."""
        self._remember()
        self._chosen[key] = (channel_value, lead_minutes)
        if key in self._keys:
            _, channel, lead = self._pool[self._keys.index(key)]
            if lead_minutes not in lead.options.values():
                lead.options = {**LEAD_OPTIONS, f"{lead_minutes} minutes before": lead_minutes}
            channel.value = channel_value if channel_value in channel.options.values() else ""
            lead.value = lead_minutes

    def requests(self, recipients: list[Recipient]) -> tuple[ReminderRequest, ...]:
        """The reminders chosen for these recipients, as the core saves them."""
        self._remember()
        out = []
        for kind, pid, _ in recipients:
            value, minutes = self._chosen.get((kind, pid), ("", 1440))
            if value:
                out.append(ReminderRequest(RecipientKind(kind), pid, Channel(value), minutes))
        return tuple(out)
