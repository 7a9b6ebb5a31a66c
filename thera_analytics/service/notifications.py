"""What a reminder says, and how it is delivered: email over SMTP, or a portal notification.

The message gives the session's local date and time in the practice's zone, its kind, the
clinician and the video join link; it never carries the note, plan or homework. A third-party
contact's message does not name the client either (it goes to a GP, parent or teacher who
already knows whom it is about, and email is not a private channel).
"""

from __future__ import annotations

import os
import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, formataddr
from enum import StrEnum
from typing import Protocol
from zoneinfo import ZoneInfo

from thera_analytics.clock import Clock, system_clock
from thera_analytics.domain.details import Channel, RecipientKind
from thera_analytics.domain.errors import PracticeError
from thera_analytics.store import notifications as stored
from thera_analytics.store.database import Cursor

DEFAULT_TIMEOUT = 20.0


# -- what a reminder says ---------------------------------------------------------------------
def session_date(local: datetime) -> str:
    """``Monday 1 June 2026`` (no platform-specific strftime flags)."""
    return f"{local:%A} {local.day} {local:%B %Y}"


def session_when(start: datetime, end: datetime, zone: ZoneInfo) -> str:
    """``Monday 1 June 2026, 10:00–10:50 BST``: local to the practice, with the zone's name."""
    s, e = start.astimezone(zone), end.astimezone(zone)
    if s.date() == e.date():
        span = f"{s:%H:%M}–{e:%H:%M}"
    else:
        span = f"{s:%H:%M} to {session_date(e)} {e:%H:%M}"
    return f"{session_date(s)}, {span} {s.tzname()}"


@dataclass(frozen=True)
class ReminderFacts:
    """The facts one reminder message is written from (read by the dispatcher)."""

    reminder_id: int
    event_id: int
    channel: Channel
    recipient_kind: RecipientKind
    recipient_id: int
    recipient_name: str
    recipient_email: str | None
    kind_label: str
    clinician_name: str
    start: datetime
    end: datetime
    video_link: str | None
    practice_name: str


@dataclass(frozen=True)
class ReminderMessage:
    """A composed reminder: an email's subject and body, a notification's title and summary."""

    facts: ReminderFacts
    local_start: datetime
    subject: str
    body: str
    title: str
    summary: str

    @property
    def reminder_id(self) -> int:
        return self.facts.reminder_id


def compose(facts: ReminderFacts, zone: ZoneInfo) -> ReminderMessage:
    """Write the reminder for ``facts`` in the practice's zone."""
    local = facts.start.astimezone(zone)
    when = session_when(facts.start, facts.end, zone)
    short = f"{local:%a} {local.day} {local:%b %Y} at {local:%H:%M} {local.tzname()}"
    what = f"{facts.kind_label} with {facts.clinician_name}"
    if facts.recipient_kind is RecipientKind.CLIENT:
        opening = f"This is a reminder of your {what}."
    else:
        opening = f"This is a reminder of the {what} that you are invited to."
    lines = [f"Hello {facts.recipient_name},", "", opening, "", f"When: {when}"]
    if facts.video_link:
        lines.append(f"Join the video session: {facts.video_link}")
    lines += ["", "If you cannot attend, please let us know as soon as you can.", "",
              facts.practice_name]
    summary = when + (f"\nJoin: {facts.video_link}" if facts.video_link else "")
    return ReminderMessage(
        facts=facts,
        local_start=local,
        subject=f"Reminder: {what}, {short}",
        body="\n".join(lines),
        title=f"Reminder: {what} on {short}",
        summary=summary,
    )


# -- email over SMTP --------------------------------------------------------------------------
class SmtpTls(StrEnum):
    NONE = "none"
    STARTTLS = "starttls"
    SSL = "ssl"


_DEFAULT_PORT = {SmtpTls.NONE: 25, SmtpTls.STARTTLS: 587, SmtpTls.SSL: 465}


class SettingsError(PracticeError):
    """An SMTP setting is missing or malformed; the message names the variable."""


class DeliveryRefused(PracticeError):
    """The mail server refused this recipient for good: retrying will not help."""


@dataclass(frozen=True)
class SmtpSettings:
    """Where and how reminder email is sent."""

    host: str
    from_address: str
    port: int = 25
    tls: SmtpTls = SmtpTls.NONE
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    timeout: float = DEFAULT_TIMEOUT

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> SmtpSettings | None:
        """Settings from THERA_SMTP_* variables, or None when THERA_SMTP_HOST is not set."""
        env = os.environ if env is None else env
        host = env.get("THERA_SMTP_HOST", "").strip()
        if not host:
            return None
        tls_text = env.get("THERA_SMTP_TLS", "none").strip().lower() or "none"
        try:
            tls = SmtpTls(tls_text)
        except ValueError:
            raise SettingsError(
                f"THERA_SMTP_TLS: {tls_text!r} is not one of none, starttls, ssl") from None
        port_text = env.get("THERA_SMTP_PORT", "").strip()
        try:
            port = int(port_text) if port_text else _DEFAULT_PORT[tls]
        except ValueError:
            raise SettingsError(f"THERA_SMTP_PORT: {port_text!r} is not a number") from None
        if not 0 < port < 65536:
            raise SettingsError(f"THERA_SMTP_PORT: {port} is not a port number")
        sender = env.get("THERA_SMTP_FROM", "").strip()
        if "@" not in sender:
            raise SettingsError("THERA_SMTP_FROM: set the address reminders are sent from")
        username = env.get("THERA_SMTP_USER", "").strip() or None
        password = env.get("THERA_SMTP_PASSWORD") or None
        if username and password is None:
            raise SettingsError("THERA_SMTP_PASSWORD: THERA_SMTP_USER is set without a password")
        return cls(host=host, from_address=sender, port=port, tls=tls, username=username,
                   password=password)


class Sender(Protocol):
    """Delivers one composed reminder or raises (DeliveryRefused when retrying is pointless)."""

    def send(self, message: ReminderMessage) -> None: ...


class EmailSender:
    """Sends reminders through an SMTP server, one connection per message."""

    def __init__(self, settings: SmtpSettings, clock: Clock = system_clock) -> None:
        self.settings = settings
        self.clock = clock  # the email's Date

    def build(self, message: ReminderMessage) -> EmailMessage:
        """The email for a reminder (plain text)."""
        facts = message.facts
        if not facts.recipient_email:
            raise DeliveryRefused(f"{facts.recipient_kind.value} {facts.recipient_id} "
                                  "has no email address")
        email = EmailMessage()
        email["From"] = formataddr((facts.practice_name, self.settings.from_address))
        email["To"] = formataddr((facts.recipient_name, facts.recipient_email))
        email["Subject"] = message.subject
        email["Date"] = format_datetime(self.clock())
        # Stable per reminder: a mail client can recognise the same reminder if ever re-sent.
        domain = self.settings.from_address.rsplit("@", 1)[1]
        email["Message-ID"] = f"<reminder-{facts.reminder_id}.{facts.event_id}@{domain}>"
        email["Auto-Submitted"] = "auto-generated"
        email.set_content(message.body)
        return email

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        if s.tls is SmtpTls.SSL:
            return smtplib.SMTP_SSL(s.host, s.port, timeout=s.timeout,
                                    context=ssl.create_default_context())
        smtp = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
        if s.tls is SmtpTls.STARTTLS:
            smtp.starttls(context=ssl.create_default_context())
        return smtp

    def send(self, message: ReminderMessage) -> None:
        """Deliver one reminder; a refused recipient raises DeliveryRefused."""
        email = self.build(message)
        smtp = self._connect()
        try:
            if self.settings.username:
                smtp.login(self.settings.username, self.settings.password or "")
            try:
                smtp.send_message(email)
            except smtplib.SMTPRecipientsRefused as exc:
                codes = ", ".join(f"{code} {reply.decode(errors='replace')}"
                                  for code, reply in exc.recipients.values())
                raise DeliveryRefused(f"the mail server refused the recipient: {codes}") from None
        finally:
            # The message is accepted once send_message returns; a failing QUIT must not turn
            # a delivered reminder into a retry (and so a duplicate).
            try:
                smtp.quit()
            except (smtplib.SMTPException, OSError):
                smtp.close()


def email_configured(env: Mapping[str, str] | None = None) -> bool:
    """True when a mail server is set (THERA_SMTP_HOST) and its settings are valid: without
    one, email reminders wait in the queue."""
    try:
        return SmtpSettings.from_env(env) is not None
    except PracticeError:
        return False


def senders_from_env(env: Mapping[str, str] | None = None,
                     clock: Clock = system_clock) -> dict[Channel, Sender]:
    """The email sender if THERA_SMTP_HOST is set; browser reminders need no sender."""
    settings = SmtpSettings.from_env(env)
    return {} if settings is None else {Channel.EMAIL: EmailSender(settings, clock)}


# -- portal notifications ---------------------------------------------------------------------
def write_portal_notification(cur: Cursor, message: ReminderMessage, now: datetime) -> int:
    """Put a browser reminder into the recipient's portal notifications (caller's transaction)."""
    facts = message.facts
    is_client = facts.recipient_kind is RecipientKind.CLIENT
    return stored.insert(cur, facts.reminder_id, facts.recipient_kind.value,
                         facts.recipient_id if is_client else None,
                         None if is_client else facts.recipient_id,
                         facts.event_id, now, message.title, message.summary)
