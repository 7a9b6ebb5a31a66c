"""The clinician's week in Chromium: nothing from another host, drags, keyboard alone, phones."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Page, expect

from thera_analytics.clock import FixedClock
from thera_analytics.domain.details import EventDetails
from thera_analytics.domain.kinds import EventKind
from thera_analytics.domain.recurrence import Recurrence
from thera_analytics.practice import Practice
from thera_analytics.service import accounts, catalog
from thera_analytics.store.database import Database

from .axe import blocking
from .conftest import login, wait_for_panel
from .test_scheduler import SHOTS, WEEK, editor, week_event

pytestmark = pytest.mark.ui

MONDAY_NOON = datetime(2026, 11, 9, 1, 0, tzinfo=UTC)  # Monday 9 Nov, 12:00 in Sydney
TIMEOUT = 15_000
ACTIVE = """() => {
  let a = document.activeElement;
  while (a && a.shadowRoot && a.shadowRoot.activeElement) a = a.shadowRoot.activeElement;
  if (!a) return '';
  return [a.getAttribute('aria-label'), a.getAttribute('placeholder'), a.id,
          (a.textContent || '').trim().slice(0, 60), a.tagName].filter(Boolean).join(' | ');
}"""


class Week:
    def __init__(self, path: Path, morning: int, noon: int, series: list[int]) -> None:
        self.path, self.morning, self.noon, self.series = path, morning, noon, series


@pytest.fixture
def week(practice_db: Path) -> Week:
    """Alice's Monday: a 10:00 session (details saved), a 12:00 one, and a weekly series at
    15:00 on Tuesdays."""
    now = datetime(2026, 11, 1, 21, 0, tzinfo=UTC)
    with Database(practice_db) as db:
        service = catalog.add_service(db, "Individual therapy", 50, now)
        chloe = int(db.df("SELECT id FROM clients WHERE name = 'Chloe Martin'")["id"][0])
        alice = accounts.actor_for(db, "alice")
        practice = Practice(db, FixedClock(now))

        def details(day: int, hour: int) -> EventDetails:
            return EventDetails(
                kind=EventKind.CLIENT_SESSION, clinician_id=alice.clinician_id or 0,
                start=datetime(2026, 11, day, hour, 0), end=datetime(2026, 11, day, hour, 50),
                service_id=service, client_ids=(chloe,), direct=True)

        [morning] = practice.create_event(alice, details(9, 10))
        [noon] = practice.create_event(alice, details(9, 12))
        series = practice.create_event(alice, details(10, 15), repeat=Recurrence(1, count=3))
    return Week(practice_db, morning, noon, series)


@pytest.fixture
def base(week: Week, serve_practice: Callable[..., str]) -> str:
    return serve_practice(week.path, clock=FixedClock(MONDAY_NOON))


def open_week(page: Page, base: str) -> None:
    page.goto(f"{base}/scheduler")
    login(page, base, "alice", "demo")
    wait_for_panel(page)
    expect(page.locator(f"{WEEK} .fc-view").first).to_be_visible(timeout=TIMEOUT)


def starts_of(path: Path, event_id: int) -> str:
    with Database(path) as db:
        return str(db.df("SELECT local_start FROM events WHERE id = ?", [event_id])
                   ["local_start"][0])


def focused(page: Page) -> str:
    return page.evaluate(ACTIVE)


def tab_to(page: Page, pattern: str, *, key: str = "Tab", limit: int = 60) -> str:
    """Press Tab (or ``key``) until the focused element's name matches ``pattern``."""
    seen = []
    for _ in range(limit):
        page.keyboard.press(key)
        now = focused(page)
        seen.append(now)
        if re.search(pattern, now):
            return now
    raise AssertionError(f"never reached {pattern!r} by {key}; focus went {seen}")


# -- nothing from another host ----------------------------------------------------------------

def test_the_week_loads_nothing_from_any_host_but_the_server(page: Page, base: str) -> None:
    elsewhere: list[str] = []
    server = urlparse(base).netloc

    def check(route) -> None:  # noqa: ANN001 - a Playwright route
        url = urlparse(route.request.url)
        if url.scheme in ("http", "https", "ws", "wss") and url.netloc != server:
            elsewhere.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    page.route("**/*", check)
    open_week(page, base)
    expect(week_event(page, 0 + 1)).to_be_visible()
    week_event(page, 1).click()
    expect(page.locator(".thera-editor-header")).to_be_visible()
    assert elsewhere == []


# -- drag to move ----------------------------------------------------------------

def drag_to(page: Page, event_id: int, day: str, time: str) -> None:
    box = week_event(page, event_id).bounding_box()
    lane = page.locator(f'{WEEK} td.fc-timegrid-slot-lane[data-time="{time}"]').bounding_box()
    column = page.locator(f'{WEEK} td.fc-timegrid-col[data-date="{day}"]').bounding_box()
    assert box and lane and column
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + 6)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] / 2 + 5, box["y"] + 12, steps=3)
    page.mouse.move(column["x"] + column["width"] / 2, lane["y"] + 6, steps=8)
    page.mouse.up()


def test_a_session_dragged_to_a_free_time_is_moved_and_a_clash_can_be_put_back(
        page: Page, base: str, week: Week) -> None:
    open_week(page, base)
    drag_to(page, week.morning, "2026-11-11", "09:00:00")
    expect(page.locator(".thera-move")).to_contain_text("Moved to Wed 11 Nov 09:00–09:50")
    assert starts_of(week.path, week.morning) == "2026-11-11 09:00:00"
    page.screenshot(path=SHOTS / "week_dragged.png")

    # Onto the noon session: the app asks; "Put it back" puts it back in the browser too.
    before = week_event(page, week.morning).bounding_box()
    drag_to(page, week.morning, "2026-11-09", "12:15:00")
    expect(page.get_by_role("button", name="Move anyway")).to_be_visible()
    page.screenshot(path=SHOTS / "week_drag_overlap.png")
    page.get_by_role("button", name="Put it back").click()
    expect(page.locator(".thera-move")).to_contain_text("Not moved")
    expect(week_event(page, week.morning)).to_have_attribute(
        "aria-label", re.compile("Wednesday 11 November, 09:00 to 09:50"))
    after = week_event(page, week.morning).bounding_box()
    assert before and after and abs(before["x"] - after["x"]) < 2
    assert starts_of(week.path, week.morning) == "2026-11-11 09:00:00"


def test_a_dragged_series_session_moves_this_and_following(
        page: Page, base: str, week: Week) -> None:
    page.set_viewport_size({"width": 1280, "height": 1100})
    open_week(page, base)
    drag_to(page, week.series[0], "2026-11-10", "16:00:00")
    page.screenshot(path=SHOTS / "week_drag_series.png")
    expect(page.get_by_role("button", name="This and following")).to_be_visible()
    page.get_by_role("button", name="This and following").click()
    expect(page.locator(".thera-move")).to_contain_text("Moved 3 sessions")
    assert [starts_of(week.path, i)[11:16] for i in week.series] == ["16:00"] * 3


# -- the keyboard alone ----------------------------------------------------------------

def test_a_session_is_opened_planned_marked_and_signed_with_the_keyboard_alone(
        page: Page, base: str, week: Week) -> None:
    open_week(page, base)
    page.locator("body").focus()
    tab_to(page, r"Client session, direct, Chloe Martin, Monday 9 November, 10:00")
    # The "go to the week of" date popup Tab went through closed when focus left it.
    expect(page.locator(".flatpickr-calendar.open")).to_have_count(0)
    # Arrow keys move between events in visual order: down to noon, and back up.
    page.keyboard.press("ArrowDown")
    assert "12:00 to 12:50" in focused(page)
    page.keyboard.press("ArrowUp")
    assert "10:00 to 10:50" in focused(page)
    page.screenshot(path=SHOTS / "week_keyboard_focus.png")

    page.keyboard.press("Enter")
    header = page.locator(".thera-editor-header")
    expect(header).to_contain_text("Chloe Martin")
    expect(editor(page).get_by_label("Plan", exact=True)).to_be_visible()
    # Escape closes the editor and gives focus back to the session.
    page.keyboard.press("Escape")
    expect(header).to_be_hidden()
    page.wait_for_function(f"({ACTIVE.strip()})().includes('10:00 to 10:50')")

    page.keyboard.press("Enter")
    expect(editor(page).get_by_label("Plan", exact=True)).to_be_visible()
    tab_to(page, r"TEXTAREA")  # the plan
    page.keyboard.type("Graded exposure, step two")
    tab_to(page, r"Save and next")
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="2 · Plan ✓")).to_be_visible()

    tab_to(page, r"SELECT")  # Chloe Martin's attendance
    page.keyboard.type("Att")  # a select picks the option its typed letters begin
    outcome = editor(page).locator(".thera-step-outcome")
    expect(outcome.get_by_label("Chloe Martin")).to_have_value("Attended")
    tab_to(page, r"Sign note")
    page.keyboard.press("Enter")
    expect(page.get_by_role("alertdialog")).to_contain_text("amended for 24 hours only")
    tab_to(page, r"Sign now")
    page.keyboard.press("Enter")
    expect(page.locator(".thera-outcome-record")).to_contain_text("Signed by Alice Nguyen")
    expect(week_event(page, week.morning)).to_have_attribute(
        "aria-label", re.compile("details saved, plan saved, outcome marked and signed"))
    page.screenshot(path=SHOTS / "week_keyboard_signed.png")


# -- a phone ----------------------------------------------------------------

def test_on_a_phone_the_week_is_an_agenda_without_sideways_scrolling_and_each_step_saves(
        page: Page, base: str, week: Week) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    open_week(page, base)
    expect(page.locator(f"{WEEK} .fc-list")).to_be_visible()

    def no_sideways_scroll(where: str) -> None:
        wide = page.evaluate("() => [document.scrollingElement.scrollWidth, innerWidth]")
        assert wide[0] <= wide[1] == 390, f"{where}: {wide[0]} px wide in a 390 px screen"

    no_sideways_scroll("agenda")
    page.screenshot(path=SHOTS / "phone_agenda.png", full_page=True)

    page.locator(f'{WEEK} .fc-list [data-event-id="{week.morning}"]').click()
    header = page.locator(".thera-editor-header")
    expect(header).to_contain_text("Chloe Martin")
    editor(page).get_by_role("button", name=re.compile("1 · Details")).click()
    details = editor(page).locator(".thera-step-details")
    expect(details).to_be_visible()
    no_sideways_scroll("details step")
    details.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("status").filter(has_text="aved")).to_be_visible()
    no_sideways_scroll("details step, saved")
    page.screenshot(path=SHOTS / "phone_details.png", full_page=True)
    editor(page).get_by_role("button", name=re.compile("2 · Plan")).click()
    editor(page).get_by_label("Plan", exact=True).fill("Walk to the shops together")
    editor(page).locator(".thera-step-plan").get_by_role("button", name="Save",
                                                         exact=True).click()
    expect(page.get_by_role("button", name="2 · Plan ✓")).to_be_visible()
    no_sideways_scroll("plan step, saved")
    page.screenshot(path=SHOTS / "phone_plan.png", full_page=True)
    editor(page).get_by_role("button", name=re.compile("3 · Outcome")).click()
    outcome = editor(page).locator(".thera-step-outcome")
    no_sideways_scroll("outcome step")
    outcome.get_by_label("Chloe Martin").select_option(label="Attended")
    outcome.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("status").filter(has_text="Outcome saved")).to_be_visible()
    no_sideways_scroll("outcome step, saved")
    page.screenshot(path=SHOTS / "phone_outcome.png", full_page=True)


# -- axe-core ---------------------------------------------------------------------

def test_axe_finds_nothing_critical_or_serious_on_the_login_page_the_week_and_the_agenda(
        page: Page, base: str) -> None:
    page.goto(f"{base}/login?next=/scheduler")
    assert blocking(page) == []
    open_week(page, base)
    assert blocking(page) == []
    page.get_by_role("button", name="Agenda").click()
    expect(page.locator(f"{WEEK} .fc-list")).to_be_visible()
    assert blocking(page) == []
    page.screenshot(path=SHOTS / "week_agenda_axe.png")
