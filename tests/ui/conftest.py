"""Serve the practice's apps in this process and drive them with Playwright."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from thera_analytics.clock import Clock

READY_TIMEOUT_MS = 15_000


@pytest.fixture
def serve_practice(serve_file: Callable[..., Any]) -> Callable[..., str]:
    """Serve a practice database file on 127.0.0.1 (a port the system chooses); returns the
    base URL: ``base = serve_practice(practice_db, clock=FixedClock(...))``. Stopped, the file
    released and Panel's state reset after the test (``serve_file``)."""

    def _serve(db_path: Path, *, clock: Clock | None = None) -> str:
        return f"http://127.0.0.1:{serve_file(db_path, clock).port}"

    return _serve


@pytest.fixture
def app_url(practice_db: Path, serve_practice: Callable[..., str]) -> str:
    """The base URL of the apps served over the ``practice_db`` practice."""
    return serve_practice(practice_db)


def next_frame(page: Page, frames: int = 1) -> None:
    """Wait until the browser has drawn ``frames`` more frames: the step of a test that polls
    the page for a condition (never a fixed pause)."""
    page.evaluate("(n) => new Promise((done) => { const step = (left) => left ? "
                  "requestAnimationFrame(() => step(left - 1)) : done(); step(n); })", frames)


def login(page: Page, base: str, user: str, password: str) -> None:
    """Sign in through the login form (opening it first unless the page already shows it)."""
    if "/login" not in page.url:
        page.goto(f"{base}/login")
    page.get_by_label("User name").fill(user)
    page.get_by_label("Password").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()


def wait_for_panel(page: Page, selector: str | None = None,
                   timeout: int = READY_TIMEOUT_MS) -> None:
    """Wait until the Bokeh document has arrived over the websocket (and ``selector`` shows)."""
    page.wait_for_function(
        "() => window.Bokeh !== undefined && Bokeh.documents.length > 0"
        " && Bokeh.index !== undefined && Object.keys(Bokeh.index).length > 0",
        timeout=timeout,
    )
    if selector:
        expect(page.locator(selector).first).to_be_visible(timeout=timeout)
