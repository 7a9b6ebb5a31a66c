"""The scheduler's editor as the help article describes it, in headless Chromium: the sign
button at the top, labelled and readable read-only fields, client search, overlap warnings for
a series, and a clinician's own calendar file.

Events are opened by their link (``?event=N``) or the "Book an event" button, so these tests
do not depend on how the week calendar is drawn.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import icalendar
import pytest
from playwright.sync_api import Locator, Page, expect

from thera_analytics.clock import FixedClock
from thera_analytics.domain.details import EventDetails
from thera_analytics.domain.kinds import EventKind
from thera_analytics.domain.outcome_change import OutcomeChange
from thera_analytics.practice import Practice
from thera_analytics.service import accounts, catalog
from thera_analytics.store.database import Database

from ..conftest import _demo_hash as demo_hash
from .conftest import login, wait_for_panel

pytestmark = pytest.mark.ui

SHOTS = Path(os.environ.get("THERA_SCREENSHOTS", tempfile.gettempdir()))
# Monday 9 November 2026, 09:00 in Sydney (UTC+11).
MONDAY_9AM = datetime(2026, 11, 8, 22, 0, tzinfo=UTC)
TIMEOUT = 15_000
OTHERS = 20  # clients named "Sam Other NN", none of them Alice's

# Every disabled control's text in the editor with its contrast against what is behind it
# (opacity and translucent backgrounds composited over white), searched through shadow roots.
DISABLED_CONTRAST = """() => {
  const parse = (c) => {
    const m = c && c.match(/rgba?\\(([^)]+)\\)/);
    if (!m) return null;
    const p = m[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number);
    return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1};
  };
  const mix = (a, b, t) => ({r: a.r * t + b.r * (1 - t), g: a.g * t + b.g * (1 - t),
                             b: a.b * t + b.b * (1 - t)});
  const lum = (c) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
  };
  const up = (el) => el.parentElement || (el.getRootNode() && el.getRootNode().host) || null;
  const white = {r: 255, g: 255, b: 255};
  const measure = (el) => {
    const layers = [];
    let opacity = 1;
    for (let e = el; e; e = up(e)) {
      const style = getComputedStyle(e);
      opacity *= Number(style.opacity);
      const c = parse(style.backgroundColor);
      if (c && c.a > 0 && (layers.length === 0 || layers[layers.length - 1].a < 1)) layers.push(c);
    }
    let bg = white;
    for (const c of layers.reverse()) bg = mix(c, bg, c.a);
    const fg = parse(getComputedStyle(el).color);
    const text = mix(mix(fg, bg, fg.a), white, opacity);
    const back = mix(bg, white, opacity);
    const [hi, lo] = [lum(text), lum(back)].sort((a, b) => b - a);
    return (hi + 0.05) / (lo + 0.05);
  };
  const inEditor = (el) => {
    for (let e = el; e; e = up(e)) if (e.classList && e.classList.contains('thera-editor-panel'))
      return true;
    return false;
  };
  const out = [];
  const walk = (root) => {
    for (const el of root.querySelectorAll('*')) {
      if (el.shadowRoot) walk(el.shadowRoot);
      if (!el.matches('input[disabled], textarea[disabled], select[disabled], button[disabled]'))
        continue;
      const text = ((el.tagName === 'SELECT' ? (el.selectedOptions[0] || {}).text
                     : el.value || el.textContent) || '').trim();
      if (!text || el.offsetParent === null || !inEditor(el)) continue;
      out.push([text.slice(0, 30), Math.round(measure(el) * 100) / 100]);
    }
  };
  walk(document);
  return out;
}"""


@dataclass(frozen=True)
class Setup:
    path: Path
    planned: int  # Alice's session on Monday 9 Nov 08:00, plan saved, not yet signed
    locked: int  # Alice's session on Monday 2 Nov, signed and locked
    meeting: int  # Alice's client team meeting (indirect) on Tuesday 10 Nov
    mine: int  # Sam Zed, Alice's client


@pytest.fixture
def setup(practice_db: Path) -> Setup:
    now = datetime(2026, 11, 1, 21, 0, tzinfo=UTC)
    with Database(practice_db) as db:
        service = catalog.add_service(db, "Individual therapy", 50, now)
        review = catalog.add_service(db, "Case review", 30, now)
        for i in range(OTHERS):
            catalog.add_client(db, f"Sam Other {i:02d}", now)
        mine = catalog.add_client(db, "Sam Zed", now)
        chloe = int(db.df("SELECT id FROM clients WHERE name = 'Chloe Martin'")["id"][0])
        accounts.create_user(db, username="pm", password="demo", role="manager",
                             display_name="Practice manager", now=now,
                             password_hash=demo_hash())
        alice = accounts.actor_for(db, "alice")
        clock = FixedClock(now)
        practice = Practice(db, clock)

        def book(start: datetime, minutes: int = 50, **kw: object) -> int:
            details = EventDetails(kind=EventKind.CLIENT_SESSION,
                                   clinician_id=alice.clinician_id or 0, start=start,
                                   end=start + timedelta(minutes=minutes), service_id=service,
                                   client_ids=(chloe,), direct=True)
            return practice.create_event(alice, replace(details, **kw))[0]  # type: ignore[arg-type]

        locked = book(datetime(2026, 11, 2, 10, 0), client_ids=(mine,))
        clock.set(datetime(2026, 11, 2, 0, 0, tzinfo=UTC))  # Monday 2 Nov, 11:00 Sydney
        version = practice.save_plan(alice, locked, 1, "Sleep diary review")
        version = practice.save_outcome(alice, locked, version,
                                        OutcomeChange.of(attendance={mine: "late_cancellation"},
                                        reasons={mine: "client_illness"},
                                        note="Phoned at 09:30 to cancel."))
        practice.sign(alice, locked, version)
        clock.set(now)
        planned = book(datetime(2026, 11, 9, 8, 0))
        practice.save_plan(alice, planned, 1, "Graded exposure")
        meeting = book(datetime(2026, 11, 10, 12, 0), 30, kind=EventKind.CLIENT_TEAM_MEETING,
                       service_id=review, direct=False)
        # Two of the next three Mondays already have something at 09:30.
        book(datetime(2026, 11, 9, 9, 30))
        book(datetime(2026, 11, 23, 9, 30))
    return Setup(practice_db, planned, locked, meeting, mine)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(MONDAY_9AM)


@pytest.fixture
def base(setup: Setup, serve_practice: Callable[..., str], clock: FixedClock) -> str:
    return serve_practice(setup.path, clock=clock)


def open_scheduler(page: Page, base: str, user: str = "alice", query: str = "") -> None:
    page.set_viewport_size({"width": 1440, "height": 1000})
    page.goto(f"{base}/scheduler{query}")
    login(page, base, user, "demo")
    wait_for_panel(page, ".thera-editor-panel")


def editor(page: Page) -> Locator:
    return page.locator(".thera-editor-panel")


def box(locator: Locator) -> dict[str, float]:
    found = locator.bounding_box()
    assert found is not None
    return found


def test_the_sign_button_is_at_the_top_of_the_editor_beside_the_steps(
        page: Page, base: str, setup: Setup, clock: FixedClock) -> None:
    clock.set(MONDAY_9AM + timedelta(hours=2))  # the session is over
    open_scheduler(page, base, query=f"?event={setup.planned}")
    sign = editor(page).get_by_role("button", name="✍ Sign note")
    outcome_tab = editor(page).get_by_role("button", name="3 · Outcome")
    expect(sign).to_be_visible()
    s, tab = box(sign), box(outcome_tab)
    assert abs((s["y"] + s["height"] / 2) - (tab["y"] + tab["height"] / 2)) < 6  # one row
    assert s["x"] >= tab["x"] + tab["width"]  # right of the steps
    note = box(editor(page).get_by_label("Session note"))
    assert s["y"] + s["height"] <= note["y"]  # above the form, not under it
    page.screenshot(path=SHOTS / "editor_sign_at_top.png")
    # Signing needs the outcome marked: marked in the form, the button can be used.
    editor(page).locator(".thera-step-outcome").get_by_label("Chloe Martin").select_option(
        label="Attended")
    expect(sign).to_be_enabled()
    editor(page).get_by_role("button", name="2 · Plan ✓").click()
    expect(sign).to_be_visible()
    sign.click()  # from the Plan step: the Outcome step opens with the warning
    expect(page.get_by_role("alertdialog")).to_contain_text("24 hours")
    expect(editor(page).get_by_label("Session note")).to_be_visible()
    page.screenshot(path=SHOTS / "editor_sign_warning_from_top.png")


def test_read_only_fields_stay_readable_and_the_status_is_labelled(
        page: Page, base: str, setup: Setup) -> None:
    open_scheduler(page, base, user="manager", query=f"?event={setup.meeting}")
    expect(editor(page)).to_contain_text("Read only.")
    editor(page).get_by_role("button", name="3 · Outcome").click()
    status = editor(page).get_by_role("button", name="In progress")
    expect(status).to_be_visible()
    label = editor(page).get_by_text("Status", exact=True)
    expect(label).to_be_visible()
    assert box(label)["y"] < box(status)["y"]
    page.screenshot(path=SHOTS / "editor_status_label.png")
    measured = page.evaluate(DISABLED_CONTRAST)
    assert any(text == "In progress" for text, _ in measured), measured
    low = [(text, ratio) for text, ratio in measured if ratio < 4.5]
    assert not low, f"read-only text below 4.5:1: {low}"

    editor(page).get_by_role("button", name="1 · Details ✓").click()
    expect(editor(page).get_by_label("Kind", exact=True)).to_be_visible()
    expect(editor(page).get_by_label("Kind", exact=True)).to_be_disabled()
    measured = page.evaluate(DISABLED_CONTRAST)
    assert any(text == "Client team meeting" for text, _ in measured), measured
    low = [(text, ratio) for text, ratio in measured if ratio < 4.5]
    assert not low, f"read-only text below 4.5:1: {low}"
    page.screenshot(path=SHOTS / "editor_read_only_details.png")


def test_client_search_lists_own_clients_first_and_says_when_there_are_more(
        page: Page, base: str, setup: Setup) -> None:
    open_scheduler(page, base)
    editor(page).get_by_role("button", name="Book an event…").click()
    search = editor(page).get_by_placeholder("Search every client by name")
    search.click()
    search.press_sequentially("sam", delay=30)
    menu = editor(page).locator(".bk-menu > div")
    expect(menu).to_have_count(12)
    expect(menu.first).to_have_text("Sam Zed")  # Alice's client, first though last by name
    hint = editor(page).locator(".thera-search-hint")
    expect(hint).to_contain_text(f"Showing 12 of {OTHERS + 1} matches")
    page.screenshot(path=SHOTS / "editor_client_search.png")
    menu.first.click()
    chosen = editor(page).locator(".choices__list--multiple .choices__item")
    expect(chosen).to_have_count(1)
    expect(chosen.first).to_contain_text("Sam Zed")
    expect(search).to_have_value("")


def test_a_series_overlap_names_every_clash_and_save_anyway_counts_them(
        page: Page, base: str, setup: Setup) -> None:
    open_scheduler(page, base)
    editor(page).get_by_role("button", name="Book an event…").click()
    form = editor(page)
    expect(form.get_by_label("Start", exact=True)).to_have_value("09:15")
    form.get_by_label("Service", exact=True).select_option(label="Individual therapy")
    box_ = form.get_by_placeholder("Type a name")
    box_.click()
    box_.fill("Chloe")
    form.locator(".choices__list--dropdown .choices__item--choice").filter(
        has_text="Chloe Martin").first.click()
    page.keyboard.press("Escape")
    form.get_by_label("Repeat", exact=True).select_option(label="Weekly")
    form.get_by_label("Sessions", exact=True).fill("3")
    form.get_by_label("Sessions", exact=True).press("Tab")
    form.get_by_role("button", name="Save", exact=True).click()
    banner = page.locator(".thera-banner")
    expect(banner).to_contain_text("This overlaps 2 of your events")
    expect(banner).to_contain_text("Client session on Mon 9 Nov 09:30–10:20")
    expect(banner).to_contain_text("Client session on Mon 23 Nov 09:30–10:20")
    anyway = editor(page).get_by_role("button", name="Save anyway (2 sessions clash)")
    expect(anyway).to_be_visible()
    page.screenshot(path=SHOTS / "editor_series_overlap.png")
    anyway.click()
    expect(banner).to_contain_text("Saved 3 sessions in the series.")


def test_a_clinician_downloads_their_own_calendar(
        page: Page, base: str, setup: Setup, tmp_path: Path) -> None:
    open_scheduler(page, base)
    button = page.get_by_role("button", name="Download my calendar (.ics)")
    expect(button).to_be_visible()
    page.screenshot(path=SHOTS / "scheduler_calendar_download.png")
    with page.expect_download() as info:
        button.click()
    assert info.value.suggested_filename == "alice-nguyen-calendar.ics"
    saved = tmp_path / "alice.ics"
    info.value.save_as(saved)
    calendar = icalendar.Calendar.from_ical(saved.read_bytes())
    starts = sorted(f"{ev.start:%Y-%m-%d %H:%M %Z}" for ev in calendar.walk("VEVENT"))
    # This week on: not the locked session of Monday 2 Nov.
    assert starts == ["2026-11-09 08:00 AEDT", "2026-11-09 09:30 AEDT",
                      "2026-11-10 12:00 AEDT", "2026-11-23 09:30 AEDT"]


def test_the_header_names_a_manager_called_practice_manager_once(
        page: Page, base: str, setup: Setup) -> None:
    page.goto(f"{base}/practice")
    login(page, base, "pm", "demo")
    wait_for_panel(page, ".thera-shell-header")
    header = page.locator(".thera-header")
    expect(header).to_contain_text("Practice manager")
    assert header.inner_text().count("Practice manager") == 1


def test_clicking_from_an_open_session_to_a_locked_one_and_back_sets_what_may_be_changed(
        page: Page, base: str, setup: Setup) -> None:
    """The editor is reused between sessions: each open must say afresh what may be changed."""
    open_scheduler(page, base)
    week = page.locator(".fc-timegrid-event")
    expect(week.first).to_be_visible(timeout=TIMEOUT)
    page.locator(f'.fc-timegrid-event[data-event-id="{setup.planned}"]').click()
    editor(page).get_by_role("button", name="1 · Details ✓").click()
    expect(editor(page).get_by_label("Kind", exact=True)).to_be_enabled(timeout=TIMEOUT)
    page.get_by_role("button", name="‹ Prev").click()
    page.locator(f'.fc-timegrid-event[data-event-id="{setup.locked}"]').click()
    expect(editor(page).locator(".thera-editor-header")).to_contain_text("Sam Zed")
    editor(page).get_by_role("button", name="1 · Details ✓").click()
    expect(editor(page).get_by_label("Kind", exact=True)).to_be_disabled(timeout=TIMEOUT)
    page.get_by_role("button", name="Next ›").click()
    page.locator(f'.fc-timegrid-event[data-event-id="{setup.planned}"]').click()
    editor(page).get_by_role("button", name="1 · Details ✓").click()
    expect(editor(page).get_by_label("Kind", exact=True)).to_be_enabled(timeout=TIMEOUT)


def test_a_locked_session_opened_first_by_a_click_has_its_details_read_only(
        page: Page, base: str, setup: Setup) -> None:
    open_scheduler(page, base)
    expect(page.locator(".fc-timegrid-event").first).to_be_visible(timeout=TIMEOUT)
    page.get_by_role("button", name="‹ Prev").click()
    page.locator(f'.fc-timegrid-event[data-event-id="{setup.locked}"]').click()
    expect(editor(page).locator(".thera-editor-header")).to_contain_text("Sam Zed")
    editor(page).get_by_role("button", name="1 · Details ✓").click()
    expect(editor(page).get_by_label("Kind", exact=True)).to_be_disabled(timeout=TIMEOUT)
    expect(editor(page).get_by_label("Title (optional)")).to_be_disabled()
