"""Cancellation reasons asked in the served scheduler (cancel dialog, outcome step; desktop and
phone width), and the manager's Cancellations and Changes tabs, in headless Chromium."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from thera_analytics.clock import FixedClock
from thera_analytics.domain.details import EventDetails
from thera_analytics.domain.kinds import EventKind
from thera_analytics.practice import Practice
from thera_analytics.service import accounts, catalog
from thera_analytics.store.database import Database

from .axe import blocking
from .conftest import login, wait_for_panel
from .test_scheduler import SHOTS, TIMEOUT, WEEK, editor, open_event, week_event

pytestmark = pytest.mark.ui

# Tuesday 10 November 2026, 12:00 in Sydney (UTC+11).
TUESDAY_NOON = datetime(2026, 11, 10, 1, 0, tzinfo=UTC)
TABLES_NOT_YET = {"aria-required-children", "label-content-name-mismatch", "target-size"}


@dataclass(frozen=True)
class Setup:
    path: Path
    upcoming: int  # Alice's, Thursday 12 Nov 10:00, Chloe
    past: int  # Alice's group, Monday 9 Nov 10:00, Chloe and Dan


@pytest.fixture
def setup(practice_db: Path) -> Setup:
    booked = TUESDAY_NOON - timedelta(days=3)
    with Database(practice_db) as db:
        service = catalog.add_service(db, "Individual therapy", 50, booked)
        dan = catalog.add_client(db, "Dan Lee", booked)
        chloe = int(db.df("SELECT id FROM clients WHERE name = 'Chloe Martin'")["id"][0])
        alice = accounts.actor_for(db, "alice")
        clock = FixedClock(booked)
        practice = Practice(db, clock)

        def book(start: datetime, *clients: int, kind: EventKind) -> int:
            return practice.create_event(alice, EventDetails(
                kind=kind, clinician_id=alice.clinician_id or 0, start=start,
                end=start + timedelta(minutes=50), service_id=service, client_ids=clients,
                direct=True))[0]

        upcoming = book(datetime(2026, 11, 12, 10, 0), chloe, kind=EventKind.CLIENT_SESSION)
        past = book(datetime(2026, 11, 9, 10, 0), chloe, dan, kind=EventKind.GROUP_SESSION)
        # Something for the Cancellations tab: an earlier session Chloe cancelled.
        earlier = book(datetime(2026, 11, 9, 14, 0), chloe, kind=EventKind.CLIENT_SESSION)
        clock.set(TUESDAY_NOON - timedelta(days=2))
        practice.record_attendance(alice, earlier, 1, {chloe: "cancelled"},
                                   {chloe: "client_illness"})
    return Setup(practice_db, upcoming, past)


@pytest.fixture
def base(setup: Setup, serve_practice: Callable[..., str]) -> str:
    return serve_practice(setup.path, clock=FixedClock(TUESDAY_NOON))


def _no_blocking(page: Page, state: str, known: frozenset[str] = frozenset()) -> None:
    found = [v for v in blocking(page) if v["id"] not in known]
    assert found == [], f"{state}: {found}"


def _scheduler(page: Page, base: str, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 1000})
    page.goto(f"{base}/scheduler?week=2026-11-09")
    login(page, base, "alice", "demo")
    wait_for_panel(page)
    expect(page.locator(f"{WEEK} .fc-timegrid-body, {WEEK} .fc-list").first).to_be_visible(
        timeout=TIMEOUT)


def _open(page: Page, base: str, width: int, event_id: int) -> None:
    if width < 600:  # the phone's list of the week
        page.goto(f"{base}/scheduler?week=2026-11-09&event={event_id}")
        wait_for_panel(page, ".thera-editor-panel")
    else:
        open_event(page, event_id)
    expect(editor(page)).to_be_visible(timeout=TIMEOUT)


@pytest.mark.parametrize("width", [1280, 390])
def test_cancelling_asks_why_and_keeps_the_answer(page: Page, base: str, setup: Setup,
                                                  width: int) -> None:
    _scheduler(page, base, width)
    _open(page, base, width, setup.upcoming)
    editor(page).get_by_role("button", name=re.compile("1 · Details")).click()
    editor(page).get_by_role("button", name="Cancel event…").click()
    reason = editor(page).get_by_label("Why is it cancelled?")
    expect(reason).to_be_visible()
    editor(page).get_by_role("button", name="Yes, cancel it").click()
    expect(editor(page).locator(".thera-field-error")).to_contain_text(
        "Choose why the session was cancelled")
    _no_blocking(page, f"cancel dialog refused ({width})")
    # By keyboard: the reason is a native select; "Other" asks for a few words.
    reason.focus()
    reason.select_option(label="Other")
    words = editor(page).get_by_label("Say more", exact=True)
    expect(words).to_be_visible()
    words.focus()
    page.keyboard.type("Clinic flooded")
    page.keyboard.press("Tab")
    page.screenshot(path=SHOTS / f"cancel_reason_{width}.png", full_page=True)
    _no_blocking(page, f"cancel dialog ({width})")
    editor(page).get_by_role("button", name="Yes, cancel it").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").filter(has_text="Event cancelled.")).to_be_visible(
        timeout=TIMEOUT)
    # The server in this process holds the file: read it through the same configuration.
    with Database(setup.path) as db:
        kept = db.df("SELECT reason_code, reason_text FROM cancellations WHERE event_id = ?",
                     [setup.upcoming]).values.tolist()
    assert kept == [["other", "Clinic flooded"]]


@pytest.mark.parametrize("width", [1280, 390])
def test_the_outcome_step_asks_why_each_client_cancelled(page: Page, base: str, setup: Setup,
                                                         width: int) -> None:
    _scheduler(page, base, width)
    _open(page, base, width, setup.past)
    editor(page).get_by_role("button", name=re.compile("3 · Outcome")).click()
    outcome = editor(page).locator(".thera-step-outcome")
    outcome.get_by_label("Chloe Martin", exact=True).select_option(label="Attended")
    outcome.get_by_label("Dan Lee", exact=True).select_option(label="Late cancellation")
    why = outcome.get_by_label("Reason for Dan Lee")
    expect(why).to_be_visible()
    expect(outcome.get_by_label("Reason for Chloe Martin", exact=False)).to_have_count(0)
    outcome.get_by_role("button", name="Save", exact=True).click()
    expect(outcome.locator(".thera-field-error")).to_contain_text(
        "Choose why the session was cancelled")
    why.focus()
    why.select_option(label="Transport")
    page.screenshot(path=SHOTS / f"outcome_reason_{width}.png", full_page=True)
    _no_blocking(page, f"outcome reason ({width})")
    outcome.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("status").filter(has_text="Outcome saved")).to_be_visible(
        timeout=TIMEOUT)
    expect(why).to_be_hidden()


def test_the_manager_reads_cancellations_and_changes(page: Page, base: str,
                                                     setup: Setup) -> None:
    page.set_viewport_size({"width": 1440, "height": 1000})
    page.goto(f"{base}/practice?week=2026-11-09&tab=Cancellations")
    login(page, base, "manager", "demo")
    wait_for_panel(page, "text=Log out")
    tab = page.locator(".thera-cancellations")
    expect(tab.locator(".tabulator-row").first).to_be_visible(timeout=TIMEOUT)
    expect(tab.locator('[data-figure="cancellations-total"]')).to_have_text("1")
    expect(tab.locator(".thera-table-cancellations")).to_contain_text("Client illness")
    # The reasons list, by keyboard.
    new = tab.get_by_label("New reason")
    new.focus()
    page.keyboard.type("Car broke down")
    page.keyboard.press("Tab")
    tab.get_by_role("button", name="Add reason").focus()
    page.keyboard.press("Enter")
    expect(tab.locator(".thera-reasons-message")).to_contain_text("Added “Car broke down”")
    expect(tab.locator(".thera-table-reasons")).to_contain_text("Car broke down")
    page.screenshot(path=SHOTS / "practice_cancellations.png", full_page=True)
    _no_blocking(page, "cancellations tab", frozenset(TABLES_NOT_YET))

    page.locator(".bk-tab").filter(has_text="Changes").click()
    changes = page.locator(".thera-changes")
    expect(changes.locator(".tabulator-row").first).to_be_visible(timeout=TIMEOUT)
    expect(changes).to_contain_text("Reason added")
    expect(changes.get_by_label("Clinician")).to_have_value("All clinicians")
    changes.get_by_label("Period").select_option(label="Last 4 weeks")
    expect(changes.locator(".thera-changes-count")).to_have_text(re.compile(r"^5 changes in"))
    changes.get_by_label("Client").press_sequentially("Dan")
    page.keyboard.press("Enter")
    expect(changes.locator(".thera-changes-count")).to_have_text(re.compile(r"^1 change in"))
    expect(changes.locator(".tabulator-row").first).to_contain_text("Booked")
    page.screenshot(path=SHOTS / "practice_changes.png", full_page=True)
    _no_blocking(page, "changes tab", frozenset(TABLES_NOT_YET))
    changes.locator(".tabulator-row").first.locator(".tabulator-cell").nth(2).click()
    expect(page.locator(".thera-record-panel")).to_contain_text("Dan Lee", timeout=TIMEOUT)
    assert week_event is not None
