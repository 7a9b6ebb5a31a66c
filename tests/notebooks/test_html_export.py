"""The HTML reports open in headless Chromium, offline, and draw their charts."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import Page, Route

from tests.notebooks.sample_practice import AS_OF
from thera_analytics import reports
from thera_app import html_report as export
from thera_analytics.store.database import Database

pytestmark = [pytest.mark.slow, pytest.mark.ui]

SCREENSHOTS = Path(os.environ.get("THERA_SCREENSHOTS", tempfile.gettempdir()))


def open_offline(page: Page, path: Path) -> tuple[list[str], list[str]]:
    """Load a file with every network request refused; return (requests, errors)."""
    requests: list[str] = []
    errors: list[str] = []

    def refuse(route: Route) -> None:
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            requests.append(route.request.url)
            route.abort()

    page.route("**/*", refuse)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.set_viewport_size({"width": 1200, "height": 900})
    page.goto(path.as_uri())
    page.wait_for_function("() => window.Bokeh !== undefined", timeout=30_000)
    return requests, errors


def bokeh_canvases(page: Page, expected: int) -> int:
    """Wait until Bokeh has built ``expected`` figure views; return the canvases on the page
    (Bokeh draws each figure on canvases inside shadow roots, which locators pierce)."""
    page.wait_for_function(
        """n => {
            const views = Object.values(Bokeh.index);
            const figures = [];
            const walk = v => { if (v.model.type === 'Figure' || v.model.type === 'Plot')
                                  figures.push(v);
                                (v.child_views || []).forEach(walk); };
            views.forEach(walk);
            return figures.length >= n && figures.every(f => f.is_idle !== false);
        }""", arg=expected, timeout=30_000)
    return page.locator("canvas").count()


@pytest.mark.parametrize(("name", "charts", "title"), [
    ("attendance", 2, "Attendance report"),
    ("backlog", 4, "Unsigned-note backlog"),
    ("cancellations", 1, "Cancellations"),
])
def test_html_report_draws_its_charts_offline(page: Page, sample_db: Path, tmp_path: Path,
                                              name: str, charts: int, title: str) -> None:
    out = tmp_path / f"{name}.html"
    with reports.open_for_reading(sample_db) as db:
        export.write_report(db, name, "html", out, start="2026-10-01", end="2026-10-31",
                            as_of=AS_OF)
    requests, errors = open_offline(page, out)
    assert page.title() == title
    assert page.locator("h1").first.inner_text().startswith(title)
    assert bokeh_canvases(page, charts) >= charts
    assert page.locator("text=Traceback").count() == 0
    assert requests == [] and errors == []
    page.screenshot(path=str(SCREENSHOTS / f"thera-report-{name}.png"), full_page=True)


def test_html_from_a_database_open_for_writing_reads_a_snapshot(
        page: Page, sample_db: Path, tmp_path: Path) -> None:
    """Inside the server the file is held read-write: the notebook reads a snapshot."""
    copy = tmp_path / "live.duckdb"
    copy.write_bytes(sample_db.read_bytes())
    out = tmp_path / "completion.html"
    with Database(copy) as db:
        export.write_report(db, "completion", "html", out, as_of=AS_OF)
    requests, errors = open_offline(page, out)
    assert page.locator("text=Completion tracking").count() >= 1
    assert bokeh_canvases(page, 4) >= 4
    assert requests == [] and errors == []
