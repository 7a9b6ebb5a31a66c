"""The client portal in headless Chromium: own sessions, reminders and shared homework only."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import icalendar
import pytest
from playwright.sync_api import Page, expect

from tests.helpers.waiting import wait_until
from thera_analytics.clock import FixedClock
from thera_analytics.domain.details import ReminderRequest
from thera_analytics.domain.kinds import EventKind
from thera_analytics.domain.outcome_change import OutcomeChange
from thera_analytics.practice import Practice
from thera_analytics.service import accounts, catalog
from thera_analytics.service.reminders import dispatch_due
from thera_analytics.store.database import Database

from .conftest import login, wait_for_panel

SHOTS = Path(os.environ.get("THERA_SCREENSHOTS", tempfile.gettempdir()))
NOW = datetime(2026, 11, 23, 6, 0, tzinfo=UTC)  # Monday 23 November 2026, 17:00 in Sydney
LINK = "https://video.example.org/room/chloe-25"
NOTE = "Chloe spoke about the argument with her sister"
PLAN = "Revisit the sleep routine"
BREATHING = "Practise box breathing for five minutes each morning"
WENT_WELL = "Write down three things that went well each day"
MARKUP = "Read <b>chapter 2</b> & <script>alert('hw')</script> reflect"
UNSHARED = "Draft: explore family history next time"
DEVS = "Dev's reading list on anxiety"


@dataclass(frozen=True)
class PortalPractice:
    db_path: Path
    clock: FixedClock


def _at(day: int, hour: int, minutes: int = 50) -> dict[str, datetime]:
    return {"start": datetime(2026, 11, day, hour, 0),
            "end": datetime(2026, 11, day, hour, minutes)}


@pytest.fixture
def portal_practice(practice_db: Path) -> PortalPractice:
    """Chloe's past sessions with shared, unshared and another client's homework; her upcoming
    video session with Ben (with a browser reminder already delivered) and a session with Alice.
    """
    clock = FixedClock(NOW)
    created = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
    with Database(practice_db) as db:
        service = catalog.add_service(db, "Individual therapy", 50, created)
        dev = catalog.add_client(db, "Dev Patel", created, email="dev@example.org")
        accounts.create_user(db, username="dev", password="demo", role="client",
                             display_name="Dev Patel", now=created, client_id=dev)
        alice, ben = accounts.actor_for(db, "alice"), accounts.actor_for(db, "ben")
        chloe = accounts.actor_for(db, "chloe").client_id
        assert chloe is not None and alice.clinician_id and ben.clinician_id
        practice = Practice(db, clock)

        def session(actor, client: int, **fields) -> int:
            from thera_analytics.domain.details import EventDetails

            details = EventDetails(kind=fields.pop("kind", EventKind.CLIENT_SESSION),
                                   clinician_id=actor.clinician_id, service_id=service,
                                   client_ids=(client,), direct=True, **fields)
            return practice.create_event(actor, details)[0]

        def share(event_id: int, text: str, *, shared: bool = True, note: str = "") -> None:
            version = practice.event(alice, event_id).version
            practice.save_outcome(alice, event_id, version,
                OutcomeChange.of(homework=text, note=note,
                                  homework_enabled=True, homework_shared=shared))

        first = session(alice, chloe, **_at(16, 10))
        practice.save_plan(alice, first, practice.event(alice, first).version, PLAN)
        share(first, BREATHING, note=NOTE)
        share(session(alice, chloe, **_at(18, 10)), WENT_WELL)
        share(session(alice, chloe, **_at(19, 10)), MARKUP)
        share(session(alice, chloe, **_at(19, 14)), UNSHARED, shared=False)
        share(session(alice, dev, **_at(20, 10)), DEVS)
        session(ben, chloe, kind=EventKind.VIDEO_SESSION, video_link=LINK, **_at(25, 16),
                reminders=(ReminderRequest("client", chloe, "browser", 2 * 24 * 60),))
        session(alice, chloe, **_at(26, 10))
        session(alice, dev, **_at(26, 12),
                reminders=(ReminderRequest("client", dev, "browser", 24 * 60),))
        dispatch_due(db, clock(), {})
    return PortalPractice(practice_db, clock)


def _status(page: Page, url: str) -> int:
    response = page.goto(url)
    assert response is not None
    return response.status


def _everything_sent_to_the_browser(page: Page) -> str:
    """The rendered page (shadow roots included) and every property of every model."""
    return page.evaluate(
        """() => {
            const parts = [document.documentElement.outerHTML];
            const walk = (root) => root.querySelectorAll('*').forEach((el) => {
                if (el.shadowRoot) { parts.push(el.shadowRoot.innerHTML); walk(el.shadowRoot); }
            });
            walk(document);
            for (const doc of Bokeh.documents) {
                for (const model of doc.all_models) {
                    for (const prop of Object.values(model.properties)) {
                        try { parts.push(JSON.stringify(prop.get_value())); } catch (e) {}
                    }
                }
            }
            return parts.join('\\n');
        }"""
    )


def _open_portal(page: Page, base: str, user: str) -> None:
    page.goto(f"{base}/portal")
    login(page, base, user, "demo")
    expect(page).to_have_url(f"{base}/portal")
    wait_for_panel(page, "text=Log out")
    expect(page.locator(".portal-sessions").first).to_be_visible()


@pytest.mark.ui
def test_client_sees_own_sessions_reminder_and_shared_homework_and_nothing_else(
    page: Page, portal_practice: PortalPractice, serve_practice: Callable[..., str],
    tmp_path: Path,
) -> None:
    base = serve_practice(portal_practice.db_path, clock=portal_practice.clock)
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.set_viewport_size({"width": 1280, "height": 900})

    _open_portal(page, base, "chloe")

    expect(page.get_by_text("Hello, Chloe")).to_be_visible()
    sessions = page.locator(".portal-session")
    expect(sessions).to_have_count(2)
    expect(sessions.nth(0)).to_contain_text("Wed 25 Nov 2026, 16:00–16:50 AEDT")
    expect(sessions.nth(0)).to_contain_text("Video session")
    expect(sessions.nth(0)).to_contain_text("Ben Okafor")
    expect(sessions.nth(0).get_by_role("link", name="Join video session")).to_have_attribute(
        "href", LINK)
    expect(sessions.nth(1)).to_contain_text("Thu 26 Nov 2026, 10:00–10:50 AEDT")
    expect(sessions.nth(1)).to_contain_text("Alice Nguyen")

    reminder = page.locator(".portal-notification")
    expect(reminder).to_have_count(1)
    expect(reminder).to_contain_text(
        "Reminder: Video session with Ben Okafor on Wed 25 Nov 2026 at 16:00 AEDT")
    expect(reminder).to_contain_text("New")

    homework = page.locator(".portal-homework .text")
    expect(homework).to_have_text([MARKUP, WENT_WELL, BREATHING])  # newest first, as text
    page.screenshot(path=SHOTS / "thera_portal.png", full_page=True)

    sent = _everything_sent_to_the_browser(page)
    assert BREATHING in sent and LINK in sent  # the search sees what the page shows
    for secret in (NOTE, PLAN, UNSHARED, DEVS, "Dev Patel"):
        assert secret not in sent
        expect(page.get_by_text(secret)).to_have_count(0)
    assert dialogs == []

    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download calendar (.ics)").click()
    saved = tmp_path / "portal.ics"
    download_info.value.save_as(saved)
    calendar = icalendar.Calendar.from_ical(saved.read_bytes())
    starts = sorted(f"{ev.start:%Y-%m-%d %H:%M %Z}" for ev in calendar.walk("VEVENT"))
    assert starts == ["2026-11-25 16:00 AEDT", "2026-11-26 10:00 AEDT"]

    page.get_by_role("button", name="Mark reminders as read").click()
    expect(reminder).not_to_contain_text("New")

    assert _status(page, f"{base}/scheduler") == 403
    assert _status(page, f"{base}/practice") == 403


@pytest.mark.ui
def test_another_client_sees_only_their_own_homework_and_sessions(
    page: Page, portal_practice: PortalPractice, serve_practice: Callable[..., str],
) -> None:
    base = serve_practice(portal_practice.db_path, clock=portal_practice.clock)

    _open_portal(page, base, "dev")

    expect(page.locator(".portal-homework .text")).to_have_text([DEVS])
    expect(page.locator(".portal-session")).to_have_count(1)
    expect(page.locator(".portal-notification")).to_have_count(0)
    expect(page.get_by_text("No reminders yet.")).to_be_visible()
    sent = _everything_sent_to_the_browser(page)
    for secret in (BREATHING, WENT_WELL, UNSHARED, "Chloe", "Video session"):
        assert secret not in sent


@pytest.mark.ui
def test_an_open_portal_shows_a_reminder_delivered_after_it_loaded(
    page: Page, portal_practice: PortalPractice, serve_practice: Callable[..., str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import dashboards.portal.app as portal_app

    monkeypatch.setattr(portal_app, "REFRESH_MS", 300)
    base = serve_practice(portal_practice.db_path, clock=portal_practice.clock)
    _open_portal(page, base, "dev")
    expect(page.locator(".portal-notification")).to_have_count(0)

    # A day before Dev's Thursday session his browser reminder falls due and is delivered.
    portal_practice.clock.set(datetime(2026, 11, 25, 1, 0, tzinfo=UTC))
    with Database(portal_practice.db_path) as db:  # the server's own database instance
        assert len(dispatch_due(db, portal_practice.clock(), {}).sent) == 1

    expect(page.locator(".portal-notification")).to_contain_text(
        "Client session with Alice Nguyen on Thu 26 Nov 2026 at 12:00 AEDT")


# -- without a browser ----------------------------------------------------------------------------
def test_the_portal_app_is_for_clients_only(portal_practice: PortalPractice) -> None:
    from dashboards.portal.app import PortalApp, create_app
    from thera_analytics.domain.errors import PermissionDenied

    with Database(portal_practice.db_path) as db:
        app = create_app(db, accounts.actor_for(db, "chloe"), portal_practice.clock)
        assert isinstance(app, PortalApp)
        assert [h.homework for h in app.data.homework] == [MARKUP, WENT_WELL, BREATHING]
        with pytest.raises(PermissionDenied):
            create_app(db, accounts.actor_for(db, "alice"), portal_practice.clock)


def test_the_servers_reminder_loop_delivers_due_reminders_until_stopped(tmp_path: Path) -> None:

    from tests.factories import make_practice
    from thera_app.reminder_task import start_reminder_loop, stop_reminder_loop

    tp = make_practice(str(tmp_path / "loop.duckdb"))
    tp.create(reminders=(ReminderRequest("client", tp.clients[0], "browser", 24 * 60),))
    loop = start_reminder_loop(tp.db, tp.clock, interval_seconds=0.05, senders={})
    try:
        wait_until(lambda: loop.last is not None
                   and tp.db.df("SELECT id FROM notifications").shape[0],
                   "the loop to deliver the reminder", timeout=10)
    finally:
        stop_reminder_loop(tp.db)
    assert not loop.running
    assert tp.db.df("SELECT state FROM reminders")["state"].tolist() == ["sent"]
    tp.db.close()
