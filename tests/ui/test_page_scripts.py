"""The invisible page scripts install in the served apps: the BokehJS layout batching (a patch
of a private BokehJS method, dashboards/panel_internals.py) and the accessibility repairs. If
an upgrade of Bokeh moves what the patch expects, the page still works but lays out slower:
this test says so loudly."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page

from dashboards.panel_internals import LAYOUT_BATCHING_FLAG

from .conftest import login, wait_for_panel

pytestmark = pytest.mark.ui


@pytest.mark.parametrize(("user", "app"), [("alice", "scheduler"), ("manager", "practice")])
def test_layout_batching_and_the_repairs_install_on_the_page(
        page: Page, practice_db: Path, serve_practice: Callable[..., str], user: str,
        app: str) -> None:
    base = serve_practice(practice_db)
    login(page, base, user, "demo")
    page.goto(f"{base}/{app}")
    wait_for_panel(page, "text=Log out")
    page.wait_for_function("() => window.__theraAccessibilityRepairs !== undefined"
                           f" && window.{LAYOUT_BATCHING_FLAG} !== undefined")
    assert page.evaluate(f"() => window.{LAYOUT_BATCHING_FLAG}") is True
    assert page.evaluate("() => typeof window.theraRepair") == "function"
