"""Signing in to the served apps with the practice's own accounts, and who may open what."""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from dashboards.auth import LoginLimiter, safe_next
from thera_analytics.clock import FixedClock
from thera_analytics.service import accounts
from thera_analytics.store.database import Database

from .conftest import login, wait_for_panel

# Screenshots for a person to look at; kept outside the test run's temporary folders.
SHOTS = Path(os.environ.get("THERA_SCREENSHOTS", tempfile.gettempdir()))
WRONG = "Wrong user name or password."


def app_page(page: Page, base: str, path: str) -> None:
    expect(page).to_have_url(f"{base}{path}")
    wait_for_panel(page, "text=Log out")


def status_of(page: Page, url: str) -> int:
    response = page.goto(url)
    assert response is not None
    return response.status


@pytest.mark.ui
def test_signed_out_visitor_is_sent_to_the_login_page(page: Page, app_url: str) -> None:
    page.goto(f"{app_url}/scheduler")

    expect(page).to_have_url(re.compile(r"/login\?next=%2Fscheduler$"))
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    expect(page.get_by_text("Harbour Allied Health")).to_be_visible()
    page.screenshot(path=SHOTS / "thera_login.png")


@pytest.mark.ui
def test_clinician_signs_in_and_lands_on_the_scheduler(page: Page, app_url: str) -> None:
    page.goto(f"{app_url}/scheduler")
    login(page, app_url, "alice", "demo")

    app_page(page, app_url, "/scheduler")
    expect(page.get_by_text("Alice Nguyen")).to_be_visible()
    expect(page.get_by_text("Clinician", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Log out")).to_have_attribute("href", "/logout")
    page.screenshot(path=SHOTS / "thera_signed_in.png")


@pytest.mark.ui
def test_wrong_password_is_refused_and_a_later_login_reaches_the_requested_app(
    page: Page, app_url: str
) -> None:
    page.goto(f"{app_url}/scheduler")
    login(page, app_url, "alice", "not-her-password")

    expect(page.get_by_role("alert")).to_have_text(WRONG)
    expect(page.get_by_label("User name")).to_have_value("alice")

    login(page, app_url, "nobody", "demo")  # an unknown user gets the same answer
    expect(page.get_by_role("alert")).to_have_text(WRONG)

    login(page, app_url, "alice", "demo")
    app_page(page, app_url, "/scheduler")


@pytest.mark.ui
def test_client_is_refused_the_staff_apps_but_reaches_the_portal(page: Page, app_url: str) -> None:
    page.goto(f"{app_url}/portal")
    login(page, app_url, "chloe", "demo")
    app_page(page, app_url, "/portal")
    expect(page.get_by_text("Chloe Martin")).to_be_visible()

    assert status_of(page, f"{app_url}/scheduler") == 403
    expect(page.get_by_text("User is not authorized.")).to_be_visible()
    assert status_of(page, f"{app_url}/practice") == 403


@pytest.mark.ui
def test_clinician_is_refused_the_practice_app(page: Page, app_url: str) -> None:
    login(page, app_url, "ben", "demo")
    app_page(page, app_url, "/scheduler")  # `/` sends a clinician to their calendar

    assert status_of(page, f"{app_url}/practice") == 403
    assert status_of(page, f"{app_url}/portal") == 403


@pytest.mark.ui
def test_manager_reaches_the_practice_and_the_scheduler(page: Page, app_url: str) -> None:
    login(page, app_url, "manager", "demo")
    app_page(page, app_url, "/practice")  # `/` sends a manager to the practice overview
    expect(page.get_by_text("Morgan Reid")).to_be_visible()
    expect(page.get_by_text("Practice manager")).to_be_visible()

    page.goto(f"{app_url}/scheduler")
    app_page(page, app_url, "/scheduler")
    assert status_of(page, f"{app_url}/portal") == 403


@pytest.mark.ui
def test_log_out_returns_to_the_login_page(page: Page, app_url: str) -> None:
    login(page, app_url, "alice", "demo")
    app_page(page, app_url, "/scheduler")

    page.get_by_role("link", name="Log out").click()

    expect(page).to_have_url(re.compile(r"/login\?signed_out=1$"))
    expect(page.get_by_role("status")).to_have_text("You have signed out.")
    page.goto(f"{app_url}/scheduler")
    expect(page).to_have_url(re.compile(r"/login\?next=%2Fscheduler$"))


@pytest.mark.ui
def test_a_display_name_with_markup_is_shown_as_text(
    page: Page, practice_db: Path, serve_practice: Callable[..., str]
) -> None:
    evil = "<script>alert(1)</script>"
    with Database(practice_db) as db:
        accounts.create_user(db, username="mallory", password="demo", role="manager",
                             display_name=evil, now=datetime(2026, 11, 2, tzinfo=UTC))
    base = serve_practice(practice_db)
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))

    login(page, base, "mallory", "demo")
    app_page(page, base, "/practice")

    expect(page.get_by_text(evil, exact=True)).to_be_visible()
    assert dialogs == []


@pytest.mark.ui
def test_sixth_wrong_password_in_a_row_is_refused_until_the_pause_ends(
    page: Page, practice_db: Path, serve_practice: Callable[..., str]
) -> None:
    clock = FixedClock(datetime(2026, 11, 23, 9, 0, tzinfo=UTC))
    base = serve_practice(practice_db, clock=clock)
    page.goto(f"{base}/scheduler")
    for attempt in range(5):
        if attempt:
            clock.advance(timedelta(minutes=1))
        login(page, base, "alice", "guess")
        expect(page.get_by_role("alert")).to_have_text(WRONG)

    login(page, base, "alice", "demo")  # even the right password waits out the pause
    expect(page.get_by_role("alert")).to_contain_text("Too many wrong passwords")
    expect(page.get_by_role("alert")).to_contain_text("15 minutes")

    clock.advance(timedelta(minutes=15))
    login(page, base, "alice", "demo")
    app_page(page, base, "/scheduler")


# -- the rules behind the pages, without a browser ----------------------------------------------

def test_limiter_counts_failures_within_the_window_only(db_target: str) -> None:
    limiter = LoginLimiter(Database(db_target))
    t0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    for i in range(4):
        assert not limiter.failed("Alice", t0 + timedelta(minutes=5 * i))
    # The first failure is now 15 minutes old and no longer counts.
    assert not limiter.failed("alice", t0 + timedelta(minutes=15))
    assert limiter.refused_for("alice", t0 + timedelta(minutes=15)) is None
    assert limiter.failed("alice", t0 + timedelta(minutes=16))
    assert limiter.refused_for(" ALICE ", t0 + timedelta(minutes=20)) == timedelta(minutes=11)
    assert limiter.refused_for("ben", t0 + timedelta(minutes=20)) is None
    assert limiter.refused_for("alice", t0 + timedelta(minutes=31)) is None


def test_limiter_forgets_failures_after_a_correct_password(db_target: str) -> None:
    limiter = LoginLimiter(Database(db_target))
    t0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    for _ in range(4):
        limiter.failed("alice", t0)
    limiter.succeeded("alice")
    assert not limiter.failed("alice", t0)


@pytest.mark.parametrize("target", [
    "https://evil.example/", "//evil.example/", "/\\evil.example", "scheduler", "/login", "",
])
def test_login_never_redirects_off_site(target: str) -> None:
    assert safe_next(target) is None


def test_login_returns_to_a_path_on_this_site() -> None:
    assert safe_next("/scheduler?week=2026-11-23") == "/scheduler?week=2026-11-23"




def test_every_server_process_counts_the_same_wrong_passwords(pg_url: str) -> None:
    # Two server processes are two connections to the practice's database: tries made
    # through either count towards the same pause.
    first, second = Database(pg_url), Database(pg_url)
    try:
        one, other = LoginLimiter(first), LoginLimiter(second)
        t0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
        for i in range(4):
            assert not (one if i % 2 else other).failed("alice", t0 + timedelta(minutes=i))
        assert one.failed("Alice", t0 + timedelta(minutes=5))
        assert other.refused_for("alice", t0 + timedelta(minutes=6)) == timedelta(minutes=14)
    finally:
        first.close()
        second.close()
