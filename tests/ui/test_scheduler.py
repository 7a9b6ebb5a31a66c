"""The clinician's scheduler driven in headless Chromium as a clinician would use it."""

from __future__ import annotations

import itertools
import os
import re
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from thera_analytics.clock import FixedClock
from thera_analytics.domain import palette
from thera_analytics.domain.details import EventDetails
from thera_analytics.domain.kinds import EventKind
from thera_analytics.domain.outcome_change import OutcomeChange
from thera_analytics.domain.palette import ColourFamily
from thera_analytics.practice import Practice
from thera_analytics.sample.generator import generate_practice
from thera_analytics.service import accounts, catalog
from thera_analytics.service.scheduling import OverlapError
from thera_analytics.store.database import Database

from ..conftest import _demo_hash as demo_hash
from .conftest import login, next_frame, wait_for_panel

pytestmark = pytest.mark.ui

SHOTS = Path(os.environ.get("THERA_SCREENSHOTS", tempfile.gettempdir()))
# Monday 9 November 2026, 09:00 in Sydney (UTC+11).
MONDAY_9AM = datetime(2026, 11, 8, 22, 0, tzinfo=UTC)
TIMEOUT = 15_000

WEEK = ".thera-week .fc"
# What the week draws for one event: its fill, the three dots (True when done) and the marks
# (attendance or status letters), read from the page as a user would see them.
DRAWN = """(el) => {
  const hex = (rgb) => '#' + rgb.match(/\\d+/g).slice(0, 3)
    .map((v) => Number(v).toString(16).padStart(2, '0')).join('');
  return {
    fill: hex(getComputedStyle(el).backgroundColor),
    dots: Array.from(el.querySelectorAll('.thera-dot')).map((d) => d.classList.contains('done')),
    marks: Array.from(el.querySelectorAll('.thera-mark')).map((m) => m.textContent),
    label: el.getAttribute('aria-label'),
  };
}"""
MONDAY = date(2026, 11, 9)


# -- a practice to work in -------------------------------------------------------------------

EVIL_NAME = '<img src=x onerror="window.__pwned=1">Eve'
EVIL_NOTE = "<script>window.__pwned=2</script><b>not bold</b>"


@dataclass(frozen=True)
class Setup:
    path: Path
    bens_session: int  # Ben's, Monday 9 Nov 15:00
    evil_session: int  # Alice's, signed and locked, with markup in a name and the note


@pytest.fixture
def setup(practice_db: Path) -> Setup:
    """The shared practice plus services, more clients, a session of Ben's, and a locked
    session of Alice's whose client name and note contain markup."""
    now = datetime(2026, 11, 1, 21, 0, tzinfo=UTC)
    with Database(practice_db) as db:
        service = catalog.add_service(db, "Individual therapy", 50, now)
        catalog.add_service(db, "Group therapy", 90, now)
        catalog.add_service(db, "Case review", 30, now)
        for name in ("Dan Lee", "Eva Brown"):
            catalog.add_client(db, name, now)
        evil = catalog.add_client(db, EVIL_NAME, now)
        chloe = int(db.df("SELECT id FROM clients WHERE name = 'Chloe Martin'")["id"][0])
        ben, alice = accounts.actor_for(db, "ben"), accounts.actor_for(db, "alice")
        clock = FixedClock(now)
        practice = Practice(db, clock)
        [bens] = practice.create_event(ben, EventDetails(
            kind=EventKind.CLIENT_SESSION, clinician_id=ben.clinician_id or 0,
            start=datetime(2026, 11, 9, 15, 0), end=datetime(2026, 11, 9, 15, 50),
            service_id=service, client_ids=(chloe,), direct=True))
        [evil_session] = practice.create_event(alice, EventDetails(
            kind=EventKind.CLIENT_SESSION, clinician_id=alice.clinician_id or 0,
            start=datetime(2026, 11, 2, 10, 0), end=datetime(2026, 11, 2, 10, 50),
            service_id=service, client_ids=(evil,), direct=True))
        clock.set(datetime(2026, 11, 2, 0, 0, tzinfo=UTC))  # Monday 2 Nov, 11:00 Sydney
        version = practice.save_outcome(alice, evil_session, 1,
            OutcomeChange.of(attendance={evil: "attended"},
                                        note=EVIL_NOTE))
        version = practice.save_plan(alice, evil_session, version, "Plan")
        practice.sign(alice, evil_session, version)
    return Setup(practice_db, bens, evil_session)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(MONDAY_9AM)


@pytest.fixture
def base(setup: Setup, serve_practice: Callable[..., str], clock: FixedClock) -> str:
    return serve_practice(setup.path, clock=clock)


# -- driving the page ------------------------------------------------------------------------

def open_scheduler(page: Page, base: str, user: str = "alice", query: str = "") -> float:
    """Sign in and wait for the calendar; returns seconds from sign-in to a drawn week."""
    page.goto(f"{base}/scheduler{query}")
    started = time.perf_counter()
    login(page, base, user, "demo")
    wait_for_panel(page)
    expect(page.locator(f"{WEEK} .fc-timegrid-body, {WEEK} .fc-list").first).to_be_visible(
        timeout=TIMEOUT)
    return time.perf_counter() - started


def click_calendar(page: Page, day: float, hour: float) -> None:
    """Click the week's grid on a day (0 = Monday) at an hour (10.25 = 10:15)."""
    minutes = int(hour * 60) // 15 * 15
    when = MONDAY + timedelta(days=int(day))
    column = page.locator(f'{WEEK} td.fc-timegrid-col[data-date="{when}"]')
    lane = page.locator(f'{WEEK} td.fc-timegrid-slot-lane[data-time="{minutes // 60:02d}:'
                        f'{minutes % 60:02d}:00"]')
    col, row = column.bounding_box(), lane.bounding_box()
    assert col is not None and row is not None
    # Relative to the slot's row, which Playwright waits to be stable before clicking.
    lane.click(position={"x": col["x"] + col["width"] / 2 - row["x"], "y": row["height"] / 2})


def week_event(page: Page, event_id: int):  # noqa: ANN201 - a Playwright locator
    return page.locator(f'{WEEK} .fc-timegrid-event[data-event-id="{event_id}"]')


def drawn(page: Page, event_id: int) -> dict[str, Any]:
    shown = week_event(page, event_id)
    if shown.count() == 0:
        return {"fill": None, "dots": [], "marks": [], "label": None}
    return shown.first.evaluate(DRAWN)


def open_event(page: Page, event_id: int) -> None:
    week_event(page, event_id).click()


def wait_drawn(page: Page, event_id: int, **expected: Any) -> dict[str, Any]:
    """Wait until the calendar draws the event as expected (fill, dots...)."""
    deadline = time.monotonic() + TIMEOUT / 1000
    while True:
        state = drawn(page, event_id)
        if all(state.get(k) == v for k, v in expected.items()):
            return state
        if time.monotonic() > deadline:
            raise AssertionError(f"event {event_id} drawn as {state}, expected {expected}")
        next_frame(page)


def editor(page: Page):  # noqa: ANN201 - a Playwright locator
    return page.locator(".thera-editor-panel")


def choose(page: Page, label: str, option: str) -> None:
    page.get_by_label(label, exact=True).select_option(label=option)


def pick_clients(page: Page, *names: str) -> None:
    box = editor(page).get_by_placeholder("Type a name")
    for name in names:
        box.click()
        box.fill(name)
        editor(page).locator(".choices__list--dropdown .choices__item--choice") \
            .filter(has_text=name).first.click()
    page.keyboard.press("Escape")


def open_event_id(page: Page) -> int:
    """The id of the event open in the editor, which the address names."""
    expect(page).to_have_url(re.compile(r"[?&]event=\d+"))
    return int(re.search(r"[?&]event=(\d+)", page.url).group(1))  # type: ignore[union-attr]


# -- the tests -------------------------------------------------------------------------------

def test_a_clinician_books_plans_records_and_signs_a_video_session(
        page: Page, base: str, clock: FixedClock) -> None:
    open_scheduler(page, base)
    expect(page.get_by_text("Click an event to open it")).to_be_visible()
    page.screenshot(path=SHOTS / "scheduler_empty_week.png")

    click_calendar(page, 0.5, 10.1)  # Monday, 10:00
    header = page.locator(".thera-editor-header")
    expect(header).to_contain_text("New event")
    expect(header).to_contain_text("Mon 9 Nov 2026, 10:00")
    choose(page, "Kind", "Video session")
    choose(page, "Service", "Individual therapy")
    pick_clients(page, "Chloe Martin")
    expect(page.get_by_role("button", name="Direct (client present)")).to_be_visible()
    page.screenshot(path=SHOTS / "scheduler_new_session.png")
    editor(page).get_by_role("button", name="Save and next ›").click()

    expect(header).to_contain_text("Video session · direct")
    expect(header).to_contain_text("Chloe Martin")
    expect(page.get_by_role("button", name="2 · Plan")).to_be_visible()
    event_id = open_event_id(page)
    wait_drawn(page, event_id, fill=palette.FILL[ColourFamily.PINK],
               dots=[True, False, False])
    page.screenshot(path=SHOTS / "scheduler_plan_step.png")

    # Step 2: the plan.
    editor(page).get_by_label("Plan", exact=True).fill("Graded exposure: lifts, then stairs")
    editor(page).get_by_role("button", name="Save and next ›").click()
    expect(page.get_by_role("button", name="2 · Plan ✓")).to_be_visible()
    wait_drawn(page, event_id, dots=[True, True, False])

    # Step 3 after the session: attendance, note, shared homework, then sign.
    clock.set(MONDAY_9AM + timedelta(hours=2))
    choose(page, "Chloe Martin", "Attended")
    editor(page).get_by_label("Session note").fill("Managed two floors by lift with support.")
    editor(page).get_by_label("Homework", exact=True).fill("Ride the lift once a day")
    editor(page).get_by_label("Homework enabled").check()
    editor(page).get_by_label("Share with the client portal").check()
    expect(editor(page).get_by_label("Homework enabled")).to_be_checked()
    page.screenshot(path=SHOTS / "scheduler_outcome_step.png")
    editor(page).get_by_role("button", name="✍ Sign note").click()
    warning = page.get_by_role("alertdialog")
    expect(warning).to_contain_text("amended for 24 hours only")
    page.screenshot(path=SHOTS / "scheduler_sign_warning.png")
    editor(page).get_by_role("button", name="Sign now").click()
    expect(page.locator(".thera-outcome-record")).to_contain_text("Signed by Alice Nguyen")
    wait_drawn(page, event_id, dots=[True] * 3, marks=["A"])
    expect(page.get_by_role("button", name="3 · Outcome ✓")).to_be_visible()
    page.screenshot(path=SHOTS / "scheduler_signed.png")

    # 25 hours later the amendment window has closed: the change is refused, comments remain.
    clock.advance(timedelta(hours=25))
    editor(page).get_by_label("Session note").fill("An edit after the window")
    editor(page).get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("status").filter(has_text="locked")).to_contain_text(
        "only comments can be added")
    comment = editor(page).get_by_label("Add a comment")
    expect(comment).to_be_visible()
    comment.fill("Client phoned: managed the stairs too.")
    editor(page).get_by_role("button", name="Add comment").click()
    expect(page.locator(".thera-outcome-history")).to_contain_text(
        "Client phoned: managed the stairs too.")
    page.screenshot(path=SHOTS / "scheduler_locked.png")

    # Reopened later, the record is read-only with its comments.
    page.reload()
    wait_for_panel(page)
    expect(page.locator(".thera-outcome-record")).to_contain_text("this record is locked")
    expect(page.locator(".thera-outcome-record")).to_contain_text(
        "Managed two floors by lift with support.")
    expect(editor(page).get_by_label("Session note")).to_be_hidden()
    expect(editor(page).get_by_label("Add a comment")).to_be_visible()


def book(page: Page, day: int, hour: float, kind: str, service: str, *clients: str,
         indirect: bool = False) -> int:
    """Book a client event at a slot, save it and go on to the plan; returns its id."""
    click_calendar(page, day + 0.5, hour + 0.05)
    expect(page.locator(".thera-editor-header")).to_contain_text("New event")
    choose(page, "Kind", kind)
    choose(page, "Service", service)
    pick_clients(page, *clients)
    if indirect:
        editor(page).get_by_role("button", name="Indirect (without the client)").click()
    editor(page).get_by_role("button", name="Save and next ›").click()
    expect(page.get_by_role("button", name="2 · Plan")).to_be_visible()
    return open_event_id(page)


def test_an_indirect_session_records_a_status_and_never_offers_attendance(
        page: Page, base: str, clock: FixedClock) -> None:
    open_scheduler(page, base)
    event_id = book(page, 1, 11, "Client team meeting", "Case review", "Chloe Martin",
                    indirect=True)
    expect(page.locator(".thera-editor-header")).to_contain_text("Client team meeting · indirect")
    editor(page).get_by_label("Plan", exact=True).fill("Agree the school plan")
    editor(page).get_by_role("button", name="Save and next ›").click()
    expect(page.get_by_role("button", name="2 · Plan ✓")).to_be_visible()
    outcome = editor(page).locator(".thera-step-outcome")
    expect(outcome.get_by_role("button", name="Completed")).to_be_visible()
    expect(outcome.get_by_text("Attendance", exact=True)).to_be_hidden()
    expect(outcome.get_by_role("combobox")).to_have_count(0)  # no attendance to choose
    page.screenshot(path=SHOTS / "scheduler_indirect_outcome.png")

    clock.set(MONDAY_9AM + timedelta(days=1, hours=3))  # Tuesday 12:00, after the meeting
    outcome.get_by_role("button", name="Completed").click()
    outcome.get_by_label("Session note").fill("Agreed the school plan with the team.")
    editor(page).get_by_role("button", name="✍ Sign note").click()  # on the step bar
    editor(page).get_by_role("button", name="Sign now").click()
    expect(page.locator(".thera-outcome-record")).to_contain_text("Signed by Alice Nguyen")
    wait_drawn(page, event_id, fill=palette.FILL[ColourFamily.PURPLE],
               dots=[True, True, True], marks=["✓"])


def test_a_group_session_records_attendance_per_client(page: Page, base: str) -> None:
    open_scheduler(page, base)
    event_id = book(page, 2, 14, "Group session", "Group therapy", "Chloe Martin", "Dan Lee",
                    "Eva Brown")
    editor(page).get_by_role("button", name="3 · Outcome").click()
    outcome = editor(page).locator(".thera-step-outcome")
    outcome.get_by_label("Chloe Martin").select_option(label="Attended")
    outcome.get_by_label("Dan Lee").select_option(label="No show")
    outcome.get_by_label("Eva Brown").select_option(label="Late cancellation")
    outcome.get_by_label("Reason for Eva Brown").select_option(label="Transport")
    outcome.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("status").filter(has_text="Outcome saved")).to_be_visible()
    expect(outcome.get_by_label("Dan Lee", exact=True)).to_have_value("No show")
    wait_drawn(page, event_id, fill=palette.FILL[ColourFamily.BLUE],
               marks=["A", "N", "L"])
    page.screenshot(path=SHOTS / "scheduler_group_attendance.png")


def test_a_clinician_cannot_open_another_clinicians_session(
        page: Page, base: str, setup: Setup) -> None:
    open_scheduler(page, base, query=f"?event={setup.bens_session}")
    expect(page.get_by_role("status").filter(has_text="Cannot open this event")).to_be_visible()
    expect(page.locator(".thera-editor-header")).to_be_hidden()
    expect(week_event(page, setup.bens_session)).to_have_count(0)  # not on her calendar either
    page.screenshot(path=SHOTS / "scheduler_refused.png")


def test_a_manager_reads_any_clinicians_session_without_editing(
        page: Page, base: str, setup: Setup) -> None:
    open_scheduler(page, base, user="manager", query=f"?event={setup.bens_session}")
    expect(page.get_by_role("status").filter(has_text="Read only")).to_be_visible()
    expect(page.locator(".thera-editor-header")).to_contain_text("Ben Okafor")
    expect(page.get_by_label("Clinician")).to_have_value("Ben Okafor")
    expect(week_event(page, setup.bens_session)).to_be_visible()
    expect(editor(page).get_by_role("button", name="Save", exact=True)).to_be_hidden()


def test_markup_in_names_and_notes_is_shown_as_text_never_run(
        page: Page, base: str, setup: Setup) -> None:
    open_scheduler(page, base, query=f"?event={setup.evil_session}")
    header = page.locator(".thera-editor-header")
    expect(header).to_contain_text(EVIL_NAME)
    record = page.locator(".thera-outcome-record")
    expect(record).to_contain_text(EVIL_NOTE)
    expect(record).to_contain_text("this record is locked")
    editor(page).get_by_role("button", name="1 · Details ✓").click()
    expect(editor(page).locator(".choices__item").filter(has_text=EVIL_NAME).first) \
        .to_be_visible()
    shown = week_event(page, setup.evil_session)
    expect(shown).to_contain_text(EVIL_NAME)
    assert EVIL_NAME in (shown.get_attribute("aria-label") or "")
    page.screenshot(path=SHOTS / "scheduler_markup_as_text.png")
    assert page.evaluate("() => window.__pwned") is None
    expect(page.locator("img")).to_have_count(0)
    expect(page.locator("b").filter(has_text="not bold")).to_have_count(0)


# -- a realistic practice: screenshots and speed --------------------------------------------------

SAMPLE_NOW = datetime(2026, 11, 26, 3, 30, tzinfo=UTC)  # Thursday 26 Nov, 14:30 in Sydney
BUSY_WEEK = 40


def _busy_sample_practice(path: Path) -> int:
    """A generated practice whose first clinician has 40 events this week; returns that count."""
    with Database(path) as db:
        generate_practice(db, clinicians=3, weeks=6, seed=11, now=SAMPLE_NOW,
                          password_hash=demo_hash())
        actor = accounts.actor_for(db, "clinician1")
        practice = Practice(db, FixedClock(SAMPLE_NOW))
        week = practice.week(actor, date(2026, 11, 23))
        service = int(catalog.services(db)["id"].iloc[0])
        client = int(catalog.clients(db, actor.clinician_id)["id"].iloc[0])
        count = len(week)
        for day, hour in itertools.product(range(5), range(8, 18)):
            if count >= BUSY_WEEK:
                break
            start = datetime(2026, 11, 23 + day, hour, 0)
            try:
                practice.create_event(actor, EventDetails(
                    kind=EventKind.PHONE_SESSION, clinician_id=actor.clinician_id or 0,
                    start=start, end=start + timedelta(minutes=30), service_id=service,
                    client_ids=(client,), direct=True))
            except OverlapError:
                continue
            count += 1
        return len(practice.week(actor, date(2026, 11, 23)))


def test_a_busy_week_of_a_sample_practice_draws_every_event_and_opens_them(
        page: Page, tmp_path: Path, serve_practice: Callable[..., str]) -> None:
    path = tmp_path / "sample.duckdb"
    assert _busy_sample_practice(path) == BUSY_WEEK
    base = serve_practice(path, clock=FixedClock(SAMPLE_NOW))
    page.set_viewport_size({"width": 1440, "height": 1000})
    ready = open_scheduler(page, base, user="clinician1")
    page.screenshot(path=SHOTS / "scheduler_busy_week.png")
    blocks = page.locator(f"{WEEK} .fc-timegrid-event[data-event-id]").evaluate_all(
        "(els) => els.map((el) => [Number(el.dataset.eventId),"
        " el.querySelector('.thera-ev-kind').textContent])")
    assert len(blocks) == BUSY_WEEK

    # Open client events one after another: each click shows that event in the editor.
    header = page.locator(".thera-editor-header")
    client_blocks = [b for b in blocks if b[1] in ("Client session", "Video session")]
    for event_id, _ in client_blocks[:6]:
        open_event(page, event_id)
        expect(page).to_have_url(re.compile(rf"event={event_id}\b"))
        expect(header).to_be_visible()
    for step in ("1 · Details", "2 · Plan", "3 · Outcome"):
        editor(page).get_by_role("button", name=re.compile(re.escape(step))).click()
        name = step.split()[-1].lower()
        expect(editor(page).locator(f".thera-step-{name}")).to_be_visible()
        page.screenshot(path=SHOTS / f"scheduler_busy_{name}.png", full_page=True)
    print({"events": len(blocks), "page_ready_s": round(ready, 3)})
