"""axe-core on every page and state a user meets: none critical, none serious."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from thera_analytics.clock import FixedClock
from thera_analytics.practice import Practice
from thera_analytics.sample.generator import generate_practice
from thera_analytics.service import accounts
from thera_analytics.store.database import Database

from ..conftest import _demo_hash as demo_hash
from .axe import BLOCKING, violations
from .conftest import login, wait_for_panel
from .test_scheduler import SHOTS, click_calendar, editor, pick_clients
from .test_week_access import MONDAY_NOON, Week, open_week, week  # noqa: F401 - a fixture

pytestmark = pytest.mark.ui

TIMEOUT = 15_000


# Landmarks and names every page has (axe rates these moderate; we require them).
REQUIRED = {"landmark-one-main", "landmark-no-duplicate-main", "page-has-heading-one",
            "html-has-lang", "html-lang-valid"}
MODERATE_SEEN: dict[str, set[str]] = {}


def clean(page: Page, state: str) -> None:
    rest = violations(page)
    found = [v for v in rest if v["impact"] in BLOCKING]
    for v in found:
        print(state, v)
    assert found == [], f"{state}: {found}"
    assert [v for v in rest if v["id"] in REQUIRED] == [], state
    for v in rest:
        MODERATE_SEEN.setdefault(v["id"], set()).add(state)
    print(state, sorted({(v["id"], v["impact"]) for v in rest}))


def test_the_scheduler_in_every_state_a_clinician_meets(
        page: Page, week: Week, serve_practice: Callable[..., str]) -> None:  # noqa: F811
    clock = FixedClock(MONDAY_NOON)
    base = serve_practice(week.path, clock=clock)
    page.goto(f"{base}/login?next=/scheduler")
    clean(page, "login")
    open_week(page, base)
    clean(page, "week")

    click_calendar(page, 2, 9)  # Wednesday 09:00: the new-event form
    header = page.locator(".thera-editor-header")
    expect(header).to_contain_text("New event")
    clean(page, "new-event form")

    page.get_by_label("Kind", exact=True).select_option(label="Client session")
    page.get_by_label("Service", exact=True).select_option(label="Individual therapy")
    pick_clients(page, "Chloe Martin")
    editor(page).get_by_role("button", name="Save and next ›").click()
    expect(page.get_by_role("button", name=re.compile("2 · Plan"))).to_be_visible()
    clean(page, "plan step")
    editor(page).get_by_role("button", name=re.compile("1 · Details")).click()
    expect(editor(page).locator(".thera-step-details")).to_be_visible()
    clean(page, "details step")
    editor(page).get_by_role("button", name=re.compile("2 · Plan")).click()
    editor(page).get_by_label("Plan", exact=True).fill("Practise the first step")
    editor(page).get_by_role("button", name="Save and next ›").click()
    outcome = editor(page).locator(".thera-step-outcome")
    expect(outcome).to_be_visible()
    clean(page, "outcome step")

    clock.set(MONDAY_NOON + timedelta(days=2))  # Wednesday, after the session
    outcome.get_by_label("Chloe Martin").select_option(label="Attended")
    editor(page).get_by_role("button", name="✍ Sign note").click()  # on the step bar
    expect(page.get_by_role("alertdialog")).to_be_visible()
    clean(page, "sign warning")
    page.screenshot(path=SHOTS / "axe_sign_warning.png")
    editor(page).get_by_role("button", name="Sign now").click()
    expect(page.locator(".thera-outcome-record")).to_contain_text("Signed by Alice Nguyen")
    clean(page, "signed record")

    clock.advance(timedelta(hours=25))
    page.reload()
    wait_for_panel(page)
    expect(page.locator(".thera-outcome-record")).to_contain_text("this record is locked")
    clean(page, "locked record")
    page.screenshot(path=SHOTS / "axe_locked.png")


@pytest.fixture(scope="module")
def sample_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("axe") / "sample.duckdb"
    with Database(path) as db:
        generate_practice(db, clinicians=3, weeks=4, seed=5, password_hash=demo_hash(),
                          now=datetime(2026, 11, 26, 3, 30, tzinfo=UTC))
        # A change the Changes tab lists for the week shown.
        manager = accounts.actor_for(db, "manager")
        Practice(db, FixedClock(datetime(2026, 11, 26, 2, 0, tzinfo=UTC))).add_cancellation_reason(
            manager, "Strike")
    return path


@pytest.fixture
def sample(sample_file: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "sample.duckdb"
    copy.write_bytes(sample_file.read_bytes())
    return copy


def test_every_tab_of_the_practice_dashboard(
        page: Page, sample: Path, serve_practice: Callable[..., str]) -> None:
    base = serve_practice(sample, clock=FixedClock(datetime(2026, 11, 26, 3, 30, tzinfo=UTC)))
    page.set_viewport_size({"width": 1440, "height": 1000})
    page.goto(f"{base}/practice")
    login(page, base, "manager", "demo")
    wait_for_panel(page, "text=Log out")
    tabs = page.locator(".bk-tab")
    expect(tabs.first).to_be_visible(timeout=TIMEOUT)
    names = [t.strip() for t in tabs.all_inner_texts()]
    assert len(names) >= 3
    for name in names:
        tabs.filter(has_text=name).first.click()
        expect(page.locator(".bk-tab.bk-active")).to_have_text(name)
        if name == "Week":
            clean(page, "practice tab Week")
            continue
        # The report tabs: wait for their tables' rows.
        expect(page.locator(".tabulator-row:visible").first).to_be_visible(timeout=TIMEOUT)
        clean(page, f"practice tab {name}")


def test_the_portal(page: Page, sample: Path, serve_practice: Callable[..., str]) -> None:
    base = serve_practice(sample, clock=FixedClock(datetime(2026, 11, 26, 3, 30, tzinfo=UTC)))
    page.goto(f"{base}/portal")
    login(page, base, "client1", "demo")
    wait_for_panel(page, "text=Log out")
    expect(page.locator(".portal-sessions").first).to_be_visible(timeout=TIMEOUT)
    clean(page, "portal")


DEEP_FOCUS = """() => { let a = document.activeElement;
  while (a && a.shadowRoot && a.shadowRoot.activeElement) a = a.shadowRoot.activeElement;
  return a ? [a.className, a.getAttribute('tabulator-field') || a.getAttribute('data-page')
              || a.textContent.trim().slice(0, 30)] : null; }"""


STILL = """(host, quiet) => new Promise(resolve => {
  const root = host.shadowRoot || host;
  let timer;
  const done = (still) => { observer.disconnect(); clearTimeout(timer); clearTimeout(cap);
                            resolve(still); };
  const observer = new MutationObserver(() => {
    clearTimeout(timer); timer = setTimeout(() => done(true), quiet); });
  observer.observe(root, {childList: true, subtree: true, attributes: true,
                          characterData: true});
  timer = setTimeout(() => done(true), quiet);
  const cap = setTimeout(() => done(false), 20000);
})"""


def test_the_practice_tables_by_keyboard(
        page: Page, sample: Path, serve_practice: Callable[..., str]) -> None:
    """A header sorts with Enter, Tab goes from the headers through the rows' links to the pages
    (the cells are not tab stops), Enter turns the page, Tab leaves the table; the page buttons
    are 24 px at least."""
    base = serve_practice(sample, clock=FixedClock(datetime(2026, 11, 26, 3, 30, tzinfo=UTC)))
    page.set_viewport_size({"width": 1440, "height": 1000})
    page.goto(f"{base}/practice")
    login(page, base, "manager", "demo")
    wait_for_panel(page, "text=Log out")
    page.locator(".bk-tab").filter(has_text="Backlog").first.click()
    table = page.locator(".thera-table-oldest")
    expect(table.locator(".tabulator-row").first).to_be_visible(timeout=TIMEOUT)
    page.evaluate("() => window.theraRepair()")
    expect(table.locator(".tabulator").first).to_have_attribute("role", "table")

    headers = table.locator(".tabulator-col[tabindex='0']")
    first = headers.first
    first.focus()
    page.keyboard.press("Enter")
    expect(first).to_have_attribute("aria-sort", re.compile("ascending|descending"))
    expect(first).to_be_focused()  # sorting keeps the focus on the header
    # The sort redraws the rows, and the server's answer to the new sort order may redraw them
    # again: a row redrawn while it holds the focus drops it to the page's start. Tab on once
    # the table has been still for half a second, as a keyboard user would be.
    assert table.evaluate(STILL, 500), "the table kept changing for 20 s after the sort"

    next_page = table.get_by_role("button", name="Next Page")
    expect(next_page).to_be_enabled()
    box = next_page.bounding_box()
    assert box is not None and box["width"] >= 24 and box["height"] >= 24
    # Tab from the first header until the Next Page button, however many pages the backlog
    # has; then the stops are checked in order: the other headers, a link per row shown, the
    # page buttons (the first and previous ones are disabled on page 1).
    rows = table.locator(".tabulator-row").count()
    stops = []
    for _ in range(headers.count() + rows + 20):
        page.keyboard.press("Tab")
        stops.append(page.evaluate(DEEP_FOCUS))
        if stops[-1] is None or stops[-1][1] == "next":
            break
    # Should it ever fail: how many tables the host drew, and whether one keeps cell tab stops
    # (a table drawn after the last repair) or none does (the focus went elsewhere).
    state = table.evaluate("""host => { const root = host.shadowRoot || host;
      const tables = [...root.querySelectorAll('.tabulator')];
      return {tables: tables.length, repaired: tables.filter(t => t.dataset.theraTable).length,
              cellStops: root.querySelectorAll('.tabulator-cell[tabindex]').length}; }""")
    seen = f"{state}, {rows} rows, stops: {stops}"
    assert stops[-1] is not None and stops[-1][1] == "next", seen
    kinds = ["header" if "tabulator-col" in s[0] else "page" if "tabulator-page" in s[0]
             else "cell" if "tabulator-cell" in s[0] else "link" for s in stops]
    assert kinds == (["header"] * (headers.count() - 1) + ["link"] * rows
                     + ["page"] * kinds.count("page")), seen
    page.keyboard.press("Enter")
    expect(table.locator(".tabulator-page.active")).to_have_text("2")
    page.screenshot(path=SHOTS / "practice_tables_keyboard.png")
    # No trap: Tab leaves the table within its headers, a link per row and its pages.
    inside = """() => { let a = document.activeElement;
      while (a) {
        if (a.classList && a.classList.contains('thera-table-oldest')) return true;
        a = a.shadowRoot ? a.shadowRoot.activeElement : null;
      }
      return false; }"""
    for _ in range(headers.count() + rows + 20):
        page.keyboard.press("Tab")
        if not page.evaluate(inside):
            break
    outside = not page.evaluate(inside)
    assert outside, page.evaluate(DEEP_FOCUS)
