"""Reminders through a real SMTP server on loopback: due, once, retried, moved, cancelled."""

from __future__ import annotations

import argparse
import email
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.policy import default as default_policy
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from tests.factories import make_practice
from tests.helpers.network import refusing_port
from thera_analytics.clock import Clock, FixedClock, system_clock
from thera_analytics.domain.details import Channel, ReminderRequest
from thera_analytics.domain.errors import ValidationError
from thera_analytics.domain.kinds import EventKind
from thera_analytics.domain.outcome_change import OutcomeChange
from thera_analytics.service import catalog, portal
from thera_analytics.service.notifications import (
    EmailSender,
    SettingsError,
    SmtpSettings,
    SmtpTls,
    senders_from_env,
)
from thera_analytics.service.reminders import Outcome, dispatch_due, queue, retry_delay
from thera_analytics.store.database import Database
from thera_app.reminders_cli import add_commands

SESSION_UTC = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)  # Monday 1 June 2026, 10:00 in London
NOTE = "Discussed the separation in detail"
LINK = "https://video.example.org/room/42"


# -- a mail server on loopback --------------------------------------------------------------------
@dataclass
class Inbox:
    """An aiosmtpd handler keeping every accepted message."""

    messages: list[tuple[list[str], EmailMessage]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = email.message_from_bytes(envelope.content, policy=default_policy)
        with self.lock:
            self.messages.append((list(envelope.rcpt_tos), parsed))  # type: ignore[arg-type]
        return "250 Message accepted for delivery"

    @property
    def subjects(self) -> list[str]:
        # A long subject is folded onto the next line; readers drop the space left after "Subject:".
        return [str(m["Subject"]).strip() for _, m in self.messages]


class SharedPortController(Controller):
    """aiosmtpd's controller, binding its port with SO_REUSEPORT (see ``refusing_port``): it
    starts on a port held for it, never on one released first."""

    def _create_server(self):  # noqa: ANN202
        return self.loop.create_server(self._factory_invoker, host=self.hostname,
                                       port=self.port, ssl=self.ssl_context, reuse_port=True)


@dataclass
class MailServer:
    port: int
    inbox: Inbox
    controller: Controller

    def settings(self, **changes: Any) -> SmtpSettings:
        values: dict[str, Any] = {"host": "127.0.0.1", "port": self.port,
                                  "from_address": "reminders@harbour.example", "timeout": 5.0}
        return SmtpSettings(**{**values, **changes})

    def senders(self, clock: Clock = system_clock, **changes: Any
                ) -> dict[Channel, EmailSender]:
        return {Channel.EMAIL: EmailSender(self.settings(**changes), clock)}


def start_server(port: int, inbox: Inbox, **kwargs: Any) -> Controller:
    controller = SharedPortController(inbox, hostname="127.0.0.1", port=port, **kwargs)
    controller.start()
    return controller


@pytest.fixture
def mail() -> Iterator[MailServer]:
    inbox = Inbox()
    with refusing_port() as port:
        controller = start_server(port, inbox)
    try:
        yield MailServer(port, inbox, controller)
    finally:
        controller.stop()


@pytest.fixture
def tp(db_target):
    practice = make_practice(db_target)
    # The factory's clients have no email address; this one does.
    practice.extra["fay"] = catalog.add_client(practice.db, "Fay Fox", practice.clock(),
                                               email="fay@example.org")
    yield practice
    practice.db.close()


def remind(client_id: int, minutes: int = 60, channel: str = "email") -> ReminderRequest:
    return ReminderRequest("client", client_id, channel, minutes)


def states(db: Database) -> dict[int, str]:
    frame = db.df("SELECT id, state FROM reminders ORDER BY id")
    return dict(zip(frame["id"], frame["state"], strict=True))


def audit_actions(db: Database) -> list[str]:
    return db.df("SELECT action FROM audit_log WHERE entity = 'reminder' ORDER BY id")[
        "action"].tolist()


# -- delivery -------------------------------------------------------------------------------------
def test_due_email_reminder_reaches_the_client_with_the_sessions_local_time(tp, mail):
    fay = tp.extra["fay"]
    event_id = tp.create(client_ids=(fay,), kind=EventKind.VIDEO_SESSION, video_link=LINK,
                         reminders=(remind(fay, 60),))
    tp.practice.save_outcome(tp.ann, event_id, tp.version(event_id), OutcomeChange.of(note=NOTE))

    early = dispatch_due(tp.db, SESSION_UTC - timedelta(minutes=61), mail.senders())
    assert early.sent == () and mail.inbox.messages == []

    result = dispatch_due(tp.db, SESSION_UTC - timedelta(minutes=60), mail.senders())

    assert len(result.sent) == 1
    [(recipients, message)] = mail.inbox.messages
    assert recipients == ["fay@example.org"]
    assert message["To"] == "Fay Fox <fay@example.org>"
    assert mail.inbox.subjects == [
        "Reminder: Video session with Ann Archer, Mon 1 Jun 2026 at 10:00 BST"]
    body = message.get_content()
    assert "When: Monday 1 June 2026, 10:00–10:50 BST" in body
    assert f"Join the video session: {LINK}" in body
    assert NOTE not in message.as_string()
    assert states(tp.db) == {result.sent[0]: "sent"}


def test_an_email_is_dated_by_the_practices_clock(tp, mail):
    fay = tp.extra["fay"]
    tp.create(client_ids=(fay,), reminders=(remind(fay, 60),))
    due = SESSION_UTC - timedelta(minutes=60)
    dispatch_due(tp.db, due, mail.senders(clock=FixedClock(due)))
    [(_, message)] = mail.inbox.messages
    assert message["Date"].datetime == due


def test_the_time_in_a_reminder_follows_the_clock_change(tp, mail):
    fay = tp.extra["fay"]
    # Monday 26 October 2026, the day after British Summer Time ends: 10:00 GMT = 10:00 UTC.
    tp.create(client_ids=(fay,), start=datetime(2026, 10, 26, 10, 0),
              end=datetime(2026, 10, 26, 10, 50), reminders=(remind(fay, 24 * 60),))

    dispatch_due(tp.db, datetime(2026, 10, 25, 10, 0, tzinfo=UTC), mail.senders())

    assert mail.inbox.subjects == [
        "Reminder: Client session with Ann Archer, Mon 26 Oct 2026 at 10:00 GMT"]


def test_a_second_pass_sends_nothing_again(tp, mail):
    fay = tp.extra["fay"]
    tp.create(client_ids=(fay,), reminders=(remind(fay, 60), remind(fay, 30)))

    first = dispatch_due(tp.db, SESSION_UTC - timedelta(minutes=10), mail.senders())
    again = dispatch_due(tp.db, SESSION_UTC - timedelta(minutes=5), mail.senders())

    assert len(first.sent) == 2 and again.sent == ()
    assert len(mail.inbox.messages) == 2
    assert audit_actions(tp.db) == ["reminder_sent", "reminder_sent"]


class Crash(BaseException):
    """The process dying: not an error the dispatcher may catch."""


class CrashAfterDelivering:
    """Delivers through a real sender, then dies on the ``n``-th message before it is recorded."""

    def __init__(self, sender: EmailSender, n: int) -> None:
        self.sender, self.n, self.count = sender, n, 0

    def send(self, message: Any) -> None:
        self.sender.send(message)
        self.count += 1
        if self.count == self.n:
            raise Crash


def test_a_restart_mid_run_sends_no_duplicates(tmp_path, mail):
    path = tmp_path / "practice.duckdb"
    tp = make_practice(str(path))
    people = [catalog.add_client(tp.db, name, tp.clock(), email=f"{name.lower()}@example.org")
              for name in ("Gus", "Hana", "Ivo")]
    for i, client in enumerate(people):
        tp.create(client_ids=(client,), start=datetime(2026, 6, 1, 10 + i, 0),
                  end=datetime(2026, 6, 1, 10 + i, 50), reminders=(remind(client, 24 * 60),))
    now = SESSION_UTC
    dying = {Channel.EMAIL: CrashAfterDelivering(EmailSender(mail.settings()), 2)}

    with pytest.raises(Crash):
        dispatch_due(tp.db, now, dying)
    tp.db.close()  # the process is gone; the second message was delivered but not recorded

    with Database(path) as db:
        restarted = dispatch_due(db, now + timedelta(minutes=1), mail.senders())
        later = dispatch_due(db, now + timedelta(minutes=30), mail.senders())
        rows = db.df("SELECT id, state, attempts, last_error FROM reminders ORDER BY id")
        actions = audit_actions(db)

    assert sorted(r for r, _ in mail.inbox.messages) == [
        ["gus@example.org"], ["hana@example.org"], ["ivo@example.org"]]
    assert len({m["Message-ID"] for _, m in mail.inbox.messages}) == 3
    assert restarted.sent == (3,) and restarted.unknown == ()
    assert later.unknown == (2,) and later.sent == ()
    assert rows["state"].tolist() == ["sent", "failed", "sent"]
    assert rows["attempts"].tolist() == [1, 1, 1]
    assert rows["last_error"][1].startswith("delivery unknown")
    assert actions == ["reminder_sent", "reminder_sent", "reminder_unknown"]


def test_a_refused_connection_is_retried_with_back_off_and_recorded(tp):
    fay = tp.extra["fay"]
    tp.create(client_ids=(fay,), start=datetime(2026, 6, 2, 10, 0),
              end=datetime(2026, 6, 2, 10, 50), reminders=(remind(fay, 24 * 60),))
    with refusing_port() as port:  # nothing listens here yet
        senders = {Channel.EMAIL: EmailSender(SmtpSettings(host="127.0.0.1", port=port,
                                                           from_address="r@harbour.example",
                                                           timeout=2.0))}
        t0 = SESSION_UTC  # a day before Tuesday's session

        first = dispatch_due(tp.db, t0, senders)
        row = queue(tp.db).iloc[0]
        assert first.retry == (1,)
        assert (row["state"], row["attempts"]) == ("pending", 1)
        assert row["next_attempt_at"] == t0 + timedelta(minutes=1)
        assert "ConnectionRefusedError" in row["last_error"]

        assert dispatch_due(tp.db, t0 + timedelta(seconds=59), senders).retry == ()  # backing off
        second = dispatch_due(tp.db, t0 + timedelta(minutes=1), senders)
        assert second.retry == (1,)
        assert queue(tp.db).iloc[0]["next_attempt_at"] == t0 + timedelta(minutes=3)

        inbox = Inbox()
        controller = start_server(port, inbox)  # the mail server comes back
    try:
        third = dispatch_due(tp.db, t0 + timedelta(minutes=3), senders)
    finally:
        controller.stop()
    assert third.sent == (1,)
    assert [r for r, _ in inbox.messages] == [["fay@example.org"]]
    row = queue(tp.db).iloc[0]
    assert (row["state"], row["attempts"]) == ("sent", 3)
    assert audit_actions(tp.db) == ["reminder_retry", "reminder_retry", "reminder_sent"]
    errors = tp.db.df("SELECT after->>'error' AS e FROM audit_log"
                      " WHERE action = 'reminder_retry'")["e"].tolist()
    assert all("ConnectionRefusedError" in e for e in errors)


def test_after_the_last_attempt_the_reminder_fails_with_its_error(tp):
    fay = tp.extra["fay"]
    tp.create(client_ids=(fay,), start=datetime(2026, 6, 2, 10, 0),
              end=datetime(2026, 6, 2, 10, 50), reminders=(remind(fay, 24 * 60),))
    with refusing_port() as port:
        senders = {Channel.EMAIL: EmailSender(SmtpSettings(host="127.0.0.1", port=port,
                                                           from_address="r@harbour.example",
                                                           timeout=2.0))}
        now = SESSION_UTC  # a day before Tuesday's session
        outcomes = []
        for _ in range(3):
            result = dispatch_due(tp.db, now, senders, max_attempts=3)
            outcomes.append(Outcome.RETRY if result.retry else Outcome.FAILED)
            now += timedelta(hours=1)

        assert outcomes == [Outcome.RETRY, Outcome.RETRY, Outcome.FAILED]
        row = queue(tp.db).iloc[0]
        assert (row["state"], row["attempts"]) == ("failed", 3)
        assert "ConnectionRefusedError" in row["last_error"]
        assert audit_actions(tp.db)[-1] == "reminder_failed"
        assert dispatch_due(tp.db, now, senders).failed == ()  # given up for good


def test_back_off_doubles_up_to_an_hour():
    assert [retry_delay(n).total_seconds() / 60 for n in range(1, 9)] == [
        1, 2, 4, 8, 16, 32, 60, 60]


# -- reschedule, cancel, third parties, the portal ------------------------------------------------
def test_rescheduling_moves_the_reminder_and_cancelling_cancels_it(tp, mail):
    fay = tp.extra["fay"]
    moved = tp.create(client_ids=(fay,), reminders=(remind(fay, 60),))
    dropped = tp.create(client_ids=(fay,), start=datetime(2026, 6, 1, 14, 0),
                        end=datetime(2026, 6, 1, 14, 50), reminders=(remind(fay, 60),))
    tp.practice.reschedule(tp.ann, moved, tp.version(moved), datetime(2026, 6, 2, 15, 0),
                           datetime(2026, 6, 2, 15, 50))
    tp.practice.cancel(tp.ann, dropped, tp.version(dropped), reason="forgot")

    at_old_time = dispatch_due(tp.db, SESSION_UTC - timedelta(minutes=60), mail.senders())
    assert at_old_time.sent == () and mail.inbox.messages == []
    at_new_time = dispatch_due(tp.db, datetime(2026, 6, 2, 13, 0, tzinfo=UTC), mail.senders())

    assert len(at_new_time.sent) == 1
    assert mail.inbox.subjects == [
        "Reminder: Client session with Ann Archer, Tue 2 Jun 2026 at 15:00 BST"]
    assert sorted(states(tp.db).values()) == ["cancelled", "sent"]


def test_a_third_party_contact_can_be_added_and_given_a_reminder(tp, mail):
    # The seed's question: "can I add a third-party contact and give them a reminder?" Yes.
    fay = tp.extra["fay"]
    teacher = catalog.add_third_party(tp.db, fay, "Ms Ola Obi", "Teacher", tp.clock(),
                                      email="ola.obi@school.example")
    tp.create(client_ids=(fay,), third_party_ids=(teacher,),
              reminders=(ReminderRequest("third_party", teacher, "email", 24 * 60),))

    # Booked at 08:00 for 10:00: the day-ahead reminder's time has passed, so it goes at once.
    result = dispatch_due(tp.db, tp.clock(), mail.senders())

    assert len(result.sent) == 1
    [(recipients, message)] = mail.inbox.messages
    assert recipients == ["ola.obi@school.example"]
    assert mail.inbox.subjects == [
        "Reminder: Client session with Ann Archer, Mon 1 Jun 2026 at 10:00 BST"]
    body = message.get_content()
    assert body.startswith("Hello Ms Ola Obi,")
    assert "that you are invited to" in body
    assert "Fay Fox" not in body  # the contact's message does not name the client


def test_a_browser_reminder_to_a_third_party_is_refused_by_field(tp):
    fay = tp.extra["fay"]
    teacher = catalog.add_third_party(tp.db, fay, "Ms Ola Obi", "Teacher", tp.clock(),
                                      email="ola.obi@school.example")
    before = tp.db.df("SELECT count(*) AS n FROM events")["n"][0]
    with pytest.raises(ValidationError) as err:
        tp.create(client_ids=(fay,), third_party_ids=(teacher,),
                  reminders=(ReminderRequest("third_party", teacher, "browser", 60),))
    assert err.value.field == "reminders" and "email" in str(err.value)
    assert tp.db.df("SELECT count(*) AS n FROM events")["n"][0] == before
    assert tp.db.df("SELECT count(*) AS n FROM reminders")["n"][0] == 0


def test_a_reminder_whose_time_has_passed_is_sent_at_once(tp, mail):
    fay = tp.extra["fay"]
    # Booked at 08:00 for 10:00 with a reminder a day before: due now, not silently never.
    tp.create(client_ids=(fay,), reminders=(remind(fay, 24 * 60),))
    [due] = tp.db.df("SELECT due_at FROM reminders")["due_at"]
    assert due == tp.clock()

    result = dispatch_due(tp.db, tp.clock(), mail.senders())

    assert len(result.sent) == 1 and len(mail.inbox.messages) == 1


def test_a_reminder_for_a_session_that_is_over_is_refused_and_nothing_changes(tp):
    fay = tp.extra["fay"]
    event_id = tp.create(client_ids=(fay,))
    tp.clock.set(SESSION_UTC + timedelta(hours=2))
    rec = tp.practice.event(tp.ann, event_id)
    details = tp.details(client_ids=(fay,), reminders=(remind(fay, 60),))
    with pytest.raises(ValidationError) as err:
        tp.practice.update_details(tp.ann, event_id, rec.version, details)
    assert err.value.field == "reminders" and "already started" in str(err.value)
    assert tp.version(event_id) == rec.version
    assert tp.db.df("SELECT count(*) AS n FROM reminders")["n"][0] == 0


def test_a_browser_reminder_lands_in_the_clients_portal_once(tp):
    cara = tp.clients[0]
    tp.create(reminders=(remind(cara, 30, "browser"),))

    first = dispatch_due(tp.db, SESSION_UTC - timedelta(minutes=30), {})
    again = dispatch_due(tp.db, SESSION_UTC - timedelta(minutes=20), {})

    assert len(first.sent) == 1 and again.sent == ()
    [note] = portal.notifications(tp.db, tp.client_actor)
    assert note.title == "Reminder: Client session with Ann Archer on Mon 1 Jun 2026 at 10:00 BST"
    assert note.body == "Monday 1 June 2026, 10:00–10:50 BST"
    assert note.unread
    assert audit_actions(tp.db) == ["reminder_sent"]


def test_email_waits_in_the_queue_while_no_mail_server_is_configured(tp, mail):
    fay = tp.extra["fay"]
    tp.create(client_ids=(fay,), reminders=(remind(fay, 60), remind(fay, 60, "browser")))
    now = SESSION_UTC - timedelta(minutes=60)

    without = dispatch_due(tp.db, now, {})
    assert (len(without.skipped), len(without.sent)) == (1, 1)
    assert sorted(states(tp.db).values()) == ["pending", "sent"]

    with_mail = dispatch_due(tp.db, now + timedelta(minutes=5), mail.senders())
    assert len(with_mail.sent) == 1 and len(mail.inbox.messages) == 1


def test_queued_email_does_not_hold_up_browser_reminders(tp):
    fay = tp.extra["fay"]
    tp.create(client_ids=(fay,), reminders=(remind(fay, 90), remind(fay, 80), remind(fay, 70),
                                            remind(fay, 10, "browser")))

    result = dispatch_due(tp.db, SESSION_UTC - timedelta(minutes=10), {}, batch=2)

    assert len(result.sent) == 1 and len(result.skipped) == 2
    assert tp.db.df("SELECT count(*) AS n FROM notifications")["n"][0] == 1


def test_no_reminder_for_a_session_the_client_cancelled(tp, mail):
    fay = tp.extra["fay"]
    event_id = tp.create(client_ids=(fay,), reminders=(remind(fay, 60),))
    tp.practice.record_attendance(tp.ann, event_id, tp.version(event_id), {fay: "cancelled"},
                                  {fay: "client_illness"})

    result = dispatch_due(tp.db, SESSION_UTC - timedelta(minutes=60), mail.senders())

    assert result.cancelled == (1,) and mail.inbox.messages == []
    assert queue(tp.db).iloc[0]["last_error"] == "the client cancelled this session"


def test_saving_the_details_again_after_a_reminder_went_does_not_send_it_twice(tp, mail):
    fay = tp.extra["fay"]
    tp.create(client_ids=(fay,), reminders=(remind(fay, 60),))
    dispatch_due(tp.db, SESSION_UTC - timedelta(minutes=60), mail.senders())
    # Saving step 1 again re-queues the event's reminders as new pending rows, the sent one
    # included (scheduling._write_people). Written here as that save writes it.
    tp.db.cursor().execute(
        "INSERT INTO reminders (id, event_id, recipient_kind, client_id, third_party_id, channel,"
        " lead_minutes, due_at, state, attempts) SELECT nextval('reminder_id_seq'), event_id,"
        " recipient_kind, client_id, third_party_id, channel, lead_minutes, due_at, 'pending', 0"
        " FROM reminders")

    again = dispatch_due(tp.db, SESSION_UTC - timedelta(minutes=50), mail.senders())

    assert again.sent == () and len(again.cancelled) == 1
    assert len(mail.inbox.messages) == 1


def test_a_reminder_the_dispatcher_could_not_send_before_the_session_expires(tp, mail):
    fay = tp.extra["fay"]
    tp.create(client_ids=(fay,), reminders=(remind(fay, 60),))

    result = dispatch_due(tp.db, SESSION_UTC + timedelta(hours=1), mail.senders())

    assert result.failed == (1,) and mail.inbox.messages == []
    assert queue(tp.db).iloc[0]["last_error"].startswith("expired")


def test_a_recipient_without_an_email_address_fails_at_once(tp, mail):
    cara = tp.clients[0]  # no email address on file
    tp.create(reminders=(remind(cara, 60),))

    result = dispatch_due(tp.db, SESSION_UTC - timedelta(minutes=60), mail.senders())

    assert result.failed == (1,)
    assert queue(tp.db).iloc[0]["last_error"] == "the client has no email address"


# -- settings and credentials ---------------------------------------------------------------------
def test_smtp_settings_come_from_the_environment():
    env = {"THERA_SMTP_HOST": "smtp.example.org", "THERA_SMTP_TLS": "starttls",
           "THERA_SMTP_USER": "practice", "THERA_SMTP_PASSWORD": "s3cret",
           "THERA_SMTP_FROM": "reminders@harbour.example"}
    settings = SmtpSettings.from_env(env)
    assert settings is not None
    assert (settings.host, settings.port, settings.tls) == ("smtp.example.org", 587,
                                                            SmtpTls.STARTTLS)
    assert (settings.username, settings.password) == ("practice", "s3cret")
    assert "s3cret" not in repr(settings)
    assert SmtpSettings.from_env({**env, "THERA_SMTP_TLS": "ssl"}).port == 465  # type: ignore[union-attr]
    assert SmtpSettings.from_env({**env, "THERA_SMTP_PORT": "2525"}).port == 2525  # type: ignore[union-attr]
    assert SmtpSettings.from_env({}) is None
    assert senders_from_env({}) == {}


@pytest.mark.parametrize(("change", "variable"), [
    ({"THERA_SMTP_TLS": "tls1.3"}, "THERA_SMTP_TLS"),
    ({"THERA_SMTP_PORT": "smtp"}, "THERA_SMTP_PORT"),
    ({"THERA_SMTP_PORT": "70000"}, "THERA_SMTP_PORT"),
    ({"THERA_SMTP_FROM": ""}, "THERA_SMTP_FROM"),
    ({"THERA_SMTP_PASSWORD": None}, "THERA_SMTP_PASSWORD"),
])
def test_a_bad_smtp_setting_is_refused_by_name(change, variable):
    env = {"THERA_SMTP_HOST": "smtp.example.org", "THERA_SMTP_USER": "practice",
           "THERA_SMTP_PASSWORD": "x", "THERA_SMTP_FROM": "r@harbour.example", **change}
    with pytest.raises(SettingsError, match=variable):
        SmtpSettings.from_env({k: v for k, v in env.items() if v is not None})


def test_the_sender_signs_in_with_the_configured_credentials(tp):
    logins: list[tuple[str, str]] = []

    def authenticator(server, session, envelope, mechanism, auth_data):
        assert isinstance(auth_data, LoginPassword)
        logins.append((auth_data.login.decode(), auth_data.password.decode()))
        return AuthResult(success=auth_data.password == b"s3cret")

    fay = tp.extra["fay"]
    tp.create(client_ids=(fay,), reminders=(remind(fay, 60),))
    inbox = Inbox()
    with refusing_port() as port:
        controller = start_server(port, inbox, authenticator=authenticator,
                                  auth_require_tls=False)
    try:
        settings = SmtpSettings(host="127.0.0.1", port=port, from_address="r@harbour.example",
                                username="practice", password="s3cret", timeout=5.0)
        result = dispatch_due(tp.db, SESSION_UTC - timedelta(minutes=60),
                              {Channel.EMAIL: EmailSender(settings)})
    finally:
        controller.stop()
    assert result.sent == (1,)
    assert logins == [("practice", "s3cret")]
    assert len(inbox.messages) == 1


def test_thera_reminders_run_once_sends_through_the_environments_server(tmp_path, mail,
                                                                         monkeypatch, capsys):
    path = tmp_path / "practice.duckdb"
    tp = make_practice(str(path))
    fay = catalog.add_client(tp.db, "Fay Fox", tp.clock(), email="fay@example.org")
    tp.create(client_ids=(fay,), reminders=(remind(fay, 60),))
    tp.db.close()
    monkeypatch.setenv("THERA_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("THERA_SMTP_PORT", str(mail.port))
    monkeypatch.setenv("THERA_SMTP_FROM", "reminders@harbour.example")
    parser = argparse.ArgumentParser(prog="thera")
    add_commands(parser.add_subparsers(dest="command", required=True))

    args = parser.parse_args(["reminders", "run", "--db", str(path), "--once",
                              "--now", "2026-06-01T08:00:00+00:00"])
    assert args.run(args) == 0

    assert "1 sent" in capsys.readouterr().out
    assert [r for r, _ in mail.inbox.messages] == [["fay@example.org"]]


# -- several processes ----------------------------------------------------------------------------
def test_three_processes_dispatching_at_once_send_every_reminder_exactly_once(pg_url, mail):
    """Every server process may run the reminder loop: on PostgreSQL each due reminder is
    claimed in the database, so three dispatchers racing over 300 send each one once."""
    import os
    import subprocess
    import sys

    tp = make_practice(pg_url)
    people = [catalog.add_client(tp.db, f"Client {i}", tp.clock(), email=f"c{i}@example.org")
              for i in range(3)]
    for day in range(100):
        start = datetime(2026, 6, 2, 8, 0) + timedelta(days=day // 8, hours=day % 8)
        tp.create(kind=EventKind.GROUP_SESSION, client_ids=tuple(people),
                  start=start, end=start + timedelta(minutes=50),
                  reminders=tuple(remind(c, 14 * 24 * 60) for c in people))
    assert tp.db.df("SELECT count(*) AS n FROM reminders")["n"][0] == 300
    tp.db.close()
    env = {**os.environ, "THERA_SMTP_HOST": "127.0.0.1", "THERA_SMTP_PORT": str(mail.port),
           "THERA_SMTP_FROM": "reminders@harbour.example", "THERA_SMTP_TLS": "none"}
    now = "2026-06-01T12:00:00+00:00"  # every reminder due (14 days ahead), none started
    runs = [subprocess.Popen([sys.executable, "-m", "thera_app.cli", "reminders", "run",
                              "--db", pg_url, "--once", "--batch", "1000", "--now", now],
                             env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for _ in range(3)]
    outputs = [r.communicate(timeout=300) for r in runs]
    assert [r.returncode for r in runs] == [0, 0, 0], outputs
    recipients = sorted(tuple(rcpt) for rcpt, _ in mail.inbox.messages)
    assert len(recipients) == 300, outputs
    assert len({m["Message-ID"] for _, m in mail.inbox.messages}) == 300
    assert recipients == sorted([(f"c{i}@example.org",) for i in range(3)] * 100)
    with Database(pg_url) as db:
        assert states(db) == {i: "sent" for i in states(db)} and len(states(db)) == 300
        assert db.df("SELECT max(attempts) AS n FROM reminders")["n"][0] == 1
    sent_by = [int(out.split(" sent")[0].rsplit(" ", 1)[1]) for out, _ in outputs]
    assert sum(sent_by) == 300  # the work was shared, none twice
