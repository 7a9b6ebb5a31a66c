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
    """A channel and a lead time per recipient; rows are kept while the form lives, so
    choosing a client again shows what was chosen for them."""

    practice = param.ClassSelector(class_=Practice)
    editable = param.Boolean(default=True)

    def __init__(self, error: pn.viewable.Viewable, **params: object) -> None:
        super().__init__(**params)
        self.rows: dict[Key, tuple[pn.widgets.Select, pn.widgets.Select]] = {}
        self._views: dict[Key, pn.FlexBox] = {}
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

    def __panel__(self) -> pn.viewable.Viewable:
        return pn.Column(self._no_recipients, self._shown, self._error, self._states,
                         self._mail_note, sizing_mode="stretch_width", margin=0)

    def widgets(self) -> list[pn.widgets.Widget]:
        return [w for pair in self.rows.values() for w in pair]

    @param.depends("editable", watch=True)
    def _on_editable(self) -> None:
        for widget in self.widgets():
            widget.disabled = not self.editable

    def pair(self, key: Key, name: str = "") -> tuple[pn.widgets.Select, pn.widgets.Select]:
        """The channel and lead widgets of one recipient (made on first use)."""
        pair = self.rows.get(key)
        if pair is None:
            # The recipient's name labels their reminder (shown as text, never as HTML).
            options = (CHANNEL_OPTIONS if key[0] == RecipientKind.CLIENT.value
                       else THIRD_PARTY_CHANNEL_OPTIONS)
            pair = (pn.widgets.Select(label=f"Remind {name}", options=options, value="",
                                      sizing_mode="stretch_width", min_width=150,
                                      margin=(5, 10), disabled=not self.editable),
                    pn.widgets.Select(label="When", options=LEAD_OPTIONS, value=1440,
                                      width=150, margin=(5, 10), disabled=not self.editable))
            keep_readable(pair)
            self.rows[key] = pair
        return pair

    def show(self, recipients: list[Recipient]) -> None:
        """One row per recipient, in the order given."""
        rows = []
        for kind, pid, name in recipients:
            key = (kind, pid)
            row = self._views.get(key)
            if row is None:
                row = field_row(*self.pair(key, name), css_classes=["thera-reminder-row"])
                self._views[key] = row
            rows.append(row)
        if rows != list(self._shown.objects):
            self._shown.objects = rows
        self._no_recipients.visible = not rows

    def show_states(self, rec: EventRecord | None) -> None:
        """Each reminder of the saved event and what became of it (sent at, failed why...)."""
        html = "" if rec is None or not rec.is_client_event else reminder_states_html(
            reminders.queue(self.practice.db, event_id=rec.id), self.practice.db.zone)
        if self._states.object != html:
            self._states.object = html
        self._states.visible = bool(html)

    def reset(self) -> None:
        for channel, lead in self.rows.values():
            channel.value = ""
            lead.options = LEAD_OPTIONS
            lead.value = 1440

    def set(self, key: Key, name: str, channel_value: str, lead_minutes: int) -> None:
        """A saved reminder in its row (an unusual lead time gets its own option)."""
        channel, lead = self.pair(key, name)
        if lead_minutes not in LEAD_OPTIONS.values():
            lead.options = {**LEAD_OPTIONS, f"{lead_minutes} minutes before": lead_minutes}
        if channel_value in channel.options.values():
            channel.value = channel_value
            lead.value = lead_minutes

    def requests(self, recipients: list[Recipient]) -> tuple[ReminderRequest, ...]:
        """The reminders chosen for these recipients, as the core saves them."""
        out = []
        for kind, pid, _ in recipients:
            channel, lead = self.rows[(kind, pid)]
            if channel.value:
                out.append(ReminderRequest(RecipientKind(kind), pid, Channel(channel.value),
                                           int(lead.value)))
        return tuple(out)
