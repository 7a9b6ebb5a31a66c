"""The manager's practice week in headless Chromium: overlapping events stay readable, a wide
screen is used, and the record drawer shows every stored value by its label."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from thera_analytics.clock import FixedClock
from thera_analytics.domain.details import EventDetails
from thera_analytics.domain.kinds import EventKind
from thera_analytics.domain.outcome_change import OutcomeChange
from thera_analytics.practice import Practice
from thera_analytics.service import accounts, catalog
from thera_analytics.store.database import Database

from .conftest import login, wait_for_panel
from .test_practice import BLOCKS, PLOT, PLOT_READY, TO_PIXELS

pytestmark = pytest.mark.ui

SHOTS = Path(os.environ.get("THERA_SCREENSHOTS", tempfile.gettempdir()))
# Monday 9 November 2026, 09:00 in Sydney (UTC+11).
MONDAY_9AM = datetime(2026, 11, 8, 22, 0, tzinfo=UTC)
TIMEOUT = 20_000
FRAME_WIDTH = f"() => Bokeh.index.find_one({PLOT}).frame.bbox.width"
# Pixels per row of a lane (a lane with nothing at once is one row).
ROW_PX = f"""() => {{
  const view = Bokeh.index.find_one({PLOT});
  return view.frame.bbox.height / Math.abs({PLOT}.y_range.end - {PLOT}.y_range.start);
}}"""


@dataclass(frozen=True)
class Setup:
    path: Path
    overlapping: tuple[int, ...]  # Alice's three sessions at once, Monday from 10:00
    amended: int  # Alice's 08:00 session: signed, then marked a late cancellation


@pytest.fixture
def setup(practice_db: Path) -> Setup:
    now = datetime(2026, 11, 1, 21, 0, tzinfo=UTC)
    with Database(practice_db) as db:
        service = catalog.add_service(db, "Individual therapy", 50, now)
        names = ("Charlotte Johnson", "Maximilian Papadopoulos", "Ruby King")
        clients = [catalog.add_client(db, name, now) for name in names]
        alice = accounts.actor_for(db, "alice")
        clock = FixedClock(now)
        practice = Practice(db, clock)

        def book(start: datetime, client: int) -> int:
            return practice.create_event(alice, EventDetails(
                kind=EventKind.VIDEO_SESSION, clinician_id=alice.clinician_id or 0,
                start=start, end=start + timedelta(minutes=50), service_id=service,
                client_ids=(client,), direct=True), allow_overlap=True)[0]

        overlapping = tuple(book(datetime(2026, 11, 9, 10, 15 * i), c)
                            for i, c in enumerate(clients))
        amended = book(datetime(2026, 11, 9, 8, 0), clients[0])
        clock.set(MONDAY_9AM - timedelta(minutes=5))
        version = practice.save_plan(alice, amended, 1, "Exposure ladder")
        version = practice.save_outcome(alice, amended, version,
                                        OutcomeChange.of(attendance={clients[0]: "attended"}))
        version = practice.sign(alice, amended, version)
        practice.save_outcome(alice, amended, version,
                              OutcomeChange.of(attendance={clients[0]: "late_cancellation"},
                              reasons={clients[0]: "transport"}))
    return Setup(practice_db, overlapping, amended)


@pytest.fixture
def base(setup: Setup, serve_practice: Callable[..., str]) -> str:
    return serve_practice(setup.path, clock=FixedClock(MONDAY_9AM))


def open_week(page: Page, base: str, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 1000})
    page.goto(f"{base}/practice")
    login(page, base, "manager", "demo")
    wait_for_panel(page, "text=Log out")
    page.wait_for_function(PLOT_READY, timeout=TIMEOUT)
    page.wait_for_function(f"() => ({BLOCKS})().length > 0", timeout=TIMEOUT)


def show_monday(page: Page) -> None:
    """Focus the week on Monday and wait until the plot shows that day alone."""
    page.get_by_role("button", name="Mon", exact=True).click()
    page.wait_for_function(f"() => {PLOT}.x_range.end - {PLOT}.x_range.start < 1.01",
                           timeout=TIMEOUT)
    page.wait_for_function(f"() => ({BLOCKS})().length == 4", timeout=TIMEOUT)


def pixel_boxes(page: Page) -> dict[int, tuple[float, float, float, float]]:
    """Each event's block on the screen: left, top, right, bottom in pixels."""
    out = {}
    for event_id, left, right, bottom, top in page.evaluate(BLOCKS):
        x0, y0 = page.evaluate(TO_PIXELS, [left, bottom])
        x1, y1 = page.evaluate(TO_PIXELS, [right, top])
        out[int(event_id)] = (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))
    return out


def test_a_wide_screen_gets_a_wide_week_and_overlapping_events_stay_readable(
        page: Page, base: str, setup: Setup) -> None:
    open_week(page, base, 1900)
    page.wait_for_function(f"() => ({FRAME_WIDTH})() > 1600", timeout=TIMEOUT)
    show_monday(page)
    boxes = pixel_boxes(page)
    lane = page.evaluate(ROW_PX)
    assert lane >= 30
    tops = []
    for event_id in setup.overlapping:
        left, top, right, bottom = boxes[event_id]
        assert bottom - top >= 0.75 * lane, (event_id, bottom - top, lane)
        tops.append(top)
    assert tops == sorted(tops)  # one above the other, in order of start
    page.screenshot(path=SHOTS / "practice_day_overlaps_wide.png", full_page=True)


def test_the_record_drawer_shows_labels_not_stored_values(
        page: Page, base: str, setup: Setup) -> None:
    open_week(page, base, 1440)
    show_monday(page)
    left, top, right, bottom = pixel_boxes(page)[setup.amended]
    page.mouse.click((left + right) / 2, (top + bottom) / 2)
    record = page.locator(".thera-record-panel")
    expect(record).to_contain_text("Late cancellation", timeout=TIMEOUT)
    expect(record).to_contain_text(
        "changed Attendance (Charlotte Johnson): “Attended” → “Late cancellation”")
    expect(record).not_to_contain_text("late_cancellation")
    page.screenshot(path=SHOTS / "practice_record_labels.png")
