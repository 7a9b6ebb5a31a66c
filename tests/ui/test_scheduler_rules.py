"""The editor shows the rules of issue 12: a couples video session, why a note cannot be signed
yet, "Not marked" clearing a status, and reminders (who may get which channel, and each
reminder's state)."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.helpers.network import refusing_port
from thera_analytics.clock import FixedClock
from thera_analytics.domain import palette
from thera_analytics.domain.details import Channel, EventDetails, ReminderRequest
from thera_analytics.domain.kinds import EventKind
from thera_analytics.domain.palette import ColourFamily
from thera_analytics.domain.record import EventRecord
from thera_analytics.practice import Practice
from thera_analytics.service import accounts, catalog
from thera_analytics.service.notifications import EmailSender, SmtpSettings
from thera_analytics.service.reminders import dispatch_due
from thera_analytics.store.database import Database

from .conftest import login, wait_for_panel

pytestmark = pytest.mark.ui

SHOTS = Path(os.environ.get("THERA_SCREENSHOTS", tempfile.gettempdir()))
# Monday 9 November 2026, 09:00 in Sydney (UTC+11).
MONDAY_9AM = datetime(2026, 11, 8, 22, 0, tzinfo=UTC)


def editor(page: Page):  # noqa: ANN201 - a Playwright locator
    return page.locator(".thera-editor-panel")


def _session(db: Database, clock: FixedClock, **changes: object) -> int:
    """Alice's session with Chloe, Monday 9 Nov 10:00-10:50 Sydney (after 9 AM 'now')."""
    alice = accounts.actor_for(db, "alice")
    service = catalog.add_service(db, "Individual therapy", 50, clock())
    chloe = int(db.df("SELECT id FROM clients WHERE name = 'Chloe Martin'")["id"][0])
    details = EventDetails(kind=EventKind.CLIENT_SESSION, clinician_id=alice.clinician_id or 0,
                           start=datetime(2026, 11, 9, 10, 0), end=datetime(2026, 11, 9, 10, 50),
                           service_id=service, client_ids=(chloe,), direct=True)
    details = replace(details, **changes)  # type: ignore[arg-type]
    [event_id] = Practice(db, clock).create_event(alice, details)
    return event_id


def _open(page: Page, base: str, event_id: int) -> None:
    page.goto(f"{base}/scheduler?event={event_id}")
    login(page, base, "alice", "demo")
    wait_for_panel(page, ".thera-editor-header")


def test_the_sign_button_says_why_it_cannot_be_used_yet(
        page: Page, practice_db: Path, serve_practice: Callable[..., str]) -> None:
    clock = FixedClock(MONDAY_9AM)
    with Database(practice_db) as db:
        event_id = _session(db, clock)
    clock.set(MONDAY_9AM + timedelta(hours=2))  # 11:00, the session is over
    base = serve_practice(practice_db, clock=clock)
    _open(page, base, event_id)
    editor(page).get_by_role("button", name="3 · Outcome").click()
    outcome = editor(page).locator(".thera-step-outcome")
    # The sign button is on the step bar at the top; why it cannot be used yet is beneath it.
    sign = editor(page).get_by_role("button", name="✍ Sign note")
    reason = editor(page).locator(".thera-sign-reason")
    expect(sign).to_be_disabled()
    expect(reason).to_contain_text("Not ready to sign: save the plan first and mark the outcome")
    page.screenshot(path=SHOTS / "sign_blocked_both.png")

    # Marking attendance in the form leaves only the plan missing.
    outcome.get_by_label("Chloe Martin").select_option(label="Attended")
    expect(reason).to_contain_text("Not ready to sign: save the plan first.")
    expect(reason).not_to_contain_text("mark the outcome")
    expect(sign).to_be_disabled()
    outcome.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("status").filter(has_text="Outcome saved")).to_be_visible()
    page.screenshot(path=SHOTS / "sign_blocked_plan.png")

    editor(page).get_by_role("button", name="2 · Plan").click()
    editor(page).get_by_label("Plan", exact=True).fill("Review the week")
    editor(page).get_by_role("button", name="Save and next ›").click()
    expect(sign).to_be_enabled()
    expect(reason).to_be_hidden()
    sign.click()
    editor(page).get_by_role("button", name="Sign now").click()
    expect(page.locator(".thera-outcome-record")).to_contain_text("Signed by Alice Nguyen")
    page.screenshot(path=SHOTS / "sign_done.png")


def test_not_marked_clears_a_status_and_saying_saved_needs_a_change(
        page: Page, practice_db: Path, serve_practice: Callable[..., str]) -> None:
    clock = FixedClock(MONDAY_9AM)
    with Database(practice_db) as db:
        event_id = _session(db, clock, kind=EventKind.CLIENT_TEAM_MEETING, direct=False)
        alice = accounts.actor_for(db, "alice")
        clock.set(MONDAY_9AM + timedelta(hours=2))
        Practice(db, clock).record_status(alice, event_id, 1, "on_hold")
    base = serve_practice(practice_db, clock=clock)
    _open(page, base, event_id)
    editor(page).get_by_role("button", name="3 · Outcome").click()
    outcome = editor(page).locator(".thera-step-outcome")
    outcome.get_by_role("button", name="Not marked").click()
    outcome.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("status").filter(has_text="Outcome saved")).to_be_visible()
    expect(editor(page).locator(".thera-sign-reason")).to_contain_text("mark the outcome first")
    page.screenshot(path=SHOTS / "status_cleared.png")
    outcome.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("status").filter(
        has_text="Nothing has changed since the last save")).to_be_visible()


def test_reminders_show_their_state_and_third_parties_get_email_only(
        page: Page, practice_db: Path, serve_practice: Callable[..., str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("THERA_SMTP_HOST", raising=False)
    clock = FixedClock(MONDAY_9AM - timedelta(hours=2))  # 07:00, the session is at 10:00
    with Database(practice_db) as db:
        chloe = int(db.df("SELECT id FROM clients WHERE name = 'Chloe Martin'")["id"][0])
        gp = catalog.add_third_party(db, chloe, "Dr Priya Raman", "GP", clock(),
                                     email="gp@example.org")
        first = (ReminderRequest("client", chloe, "email", 60),
                 ReminderRequest("third_party", gp, "email", 30))
        event_id = _session(db, clock, third_party_ids=(gp,), reminders=first)
        # Chloe's email cannot get through (nothing listens on the port): failed at 09:00.
        with refusing_port() as port:
            dead = {Channel.EMAIL: EmailSender(SmtpSettings(
                host="127.0.0.1", port=port, from_address="r@example.org", timeout=2.0))}
            dispatch_due(db, MONDAY_9AM, dead, max_attempts=1)
        # Chloe by browser instead; the GP a quarter of an hour before (the 30-minute one goes).
        practice = Practice(db, clock)
        alice = accounts.actor_for(db, "alice")
        rec = practice.event(alice, event_id)
        details = replace(_details_of(rec), reminders=(
            ReminderRequest("client", chloe, "browser", 60),
            ReminderRequest("third_party", gp, "email", 15)))
        practice.update_details(alice, event_id, rec.version, details)
        dispatch_due(db, MONDAY_9AM, {})  # the browser reminder reaches the portal
    clock.set(MONDAY_9AM)
    base = serve_practice(practice_db, clock=clock)
    _open(page, base, event_id)
    editor(page).get_by_role("button", name="1 · Details").click()
    states = editor(page).locator(".thera-reminder-states")
    expect(states).to_contain_text(
        "Browser to Chloe Martin, 1 hour before: Sent at Mon 9 Nov 09:00")
    expect(states).to_contain_text(
        "Email to Dr Priya Raman, 15 minutes before: Pending due Mon 9 Nov 09:45")
    expect(states).to_contain_text("Email to Chloe Martin, 1 hour before: Failed")
    expect(states).to_contain_text("ConnectionRefusedError")
    expect(states).to_contain_text("Email to Dr Priya Raman, 30 minutes before: Cancelled")
    expect(editor(page).locator(".thera-no-mail-server")).to_contain_text(
        "email reminders wait in the queue")
    gp_channel = editor(page).get_by_label("Remind Dr Priya Raman")
    expect(gp_channel.locator("option")).to_have_text(["No reminder", "Email"])
    expect(editor(page).get_by_label("Remind Chloe Martin").locator("option")).to_have_text(
        ["No reminder", "Email", "Browser"])
    editor(page).locator(".thera-reminder-states").scroll_into_view_if_needed()
    page.screenshot(path=SHOTS / "reminder_states.png")


def _details_of(rec: EventRecord) -> EventDetails:
    return EventDetails(
        kind=rec.kind, clinician_id=rec.clinician_id, start=rec.start, end=rec.end,
        title=rec.title, service_id=rec.service_id, client_ids=rec.client_ids,
        direct=rec.direct, team_member_ids=rec.team_member_ids,
        third_party_ids=rec.third_party_ids, reminders=rec.reminders, video_link=rec.video_link)


def test_a_couples_video_session_is_booked_direct_pink_with_attendance_per_client(
        page: Page, practice_db: Path, serve_practice: Callable[..., str]) -> None:
    clock = FixedClock(MONDAY_9AM)
    with Database(practice_db) as db:
        catalog.add_service(db, "Couples therapy", 50, clock())
        catalog.add_client(db, "Dan Lee", clock())
    base = serve_practice(practice_db, clock=clock)
    page.goto(f"{base}/scheduler")
    login(page, base, "alice", "demo")
    wait_for_panel(page, ".thera-editor-panel")
    editor(page).get_by_role("button", name="Book an event…").click()
    header = page.locator(".thera-editor-header")
    expect(header).to_contain_text("New event")
    editor(page).get_by_label("Kind", exact=True).select_option(label="Video session")
    editor(page).get_by_label("Service", exact=True).select_option(label="Couples therapy")
    box = editor(page).get_by_placeholder("Type a name")
    for name in ("Chloe Martin", "Dan Lee"):
        box.click()
        box.fill(name)
        editor(page).locator(".choices__list--dropdown .choices__item--choice") \
            .filter(has_text=name).first.click()
    page.keyboard.press("Escape")
    editor(page).get_by_label("Video join link").fill("https://video.example.org/couple")
    editor(page).get_by_role("button", name="Save and next ›").click()

    expect(header).to_contain_text("Video session · direct")
    expect(header).to_contain_text("Chloe Martin, Dan Lee")
    fill = header.locator(".thera-editor-head").evaluate(
        "el => getComputedStyle(el).getPropertyValue('--fill').trim()")
    assert fill.lower() == palette.FILL[ColourFamily.PINK].lower()
    editor(page).get_by_role("button", name="3 · Outcome").click()
    outcome = editor(page).locator(".thera-step-outcome")
    expect(outcome.get_by_label("Chloe Martin")).to_be_visible()
    expect(outcome.get_by_label("Dan Lee")).to_be_visible()
    page.screenshot(path=SHOTS / "couples_video_session.png")
