"""Serve the practice's apps in this process and drive them with Playwright."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import panel as pn
import pytest
from playwright.sync_api import Page, expect

from thera_analytics.clock import Clock
from thera_app import server as thera_server

READY_TIMEOUT_MS = 15_000


@pytest.fixture
def serve_practice(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., str]]:
    """Serve a practice database file on 127.0.0.1 (a free port); returns the base URL.

    Call it once per test: ``base = serve_practice(practice_db, clock=FixedClock(...))``. The
    server is stopped, the file released and Panel's state reset after the test.
    """
    monkeypatch.setenv(thera_server.COOKIE_SECRET_ENV, "ui-tests-only-not-a-real-secret")
    servers = []

    def _serve(db_path: Path, *, clock: Clock | None = None) -> str:
        server = thera_server.serve(db_path, port=0, address="127.0.0.1", threaded=True,
                                    clock=clock)
        servers.append(server)
        return f"http://127.0.0.1:{server.port}"

    try:
        yield _serve
    finally:
        for server in servers:
            thera_server.stop(server)
        pn.state.kill_all_servers()
        pn.state.reset()


@pytest.fixture
def app_url(practice_db: Path, serve_practice: Callable[..., str]) -> str:
    """The base URL of the apps served over the ``practice_db`` practice."""
    return serve_practice(practice_db)


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
