"""Several `thera serve` instances behind nginx with sticky sessions, on loopback.

deploy/nginx/thera.conf runs as shipped (only its ports changed) in front of two instances of one
PostgreSQL practice; a browser signs in through nginx, opens the week, saves a plan, and every
one of its requests, the websocket included, reaches the same instance. The instances run as
documented, without ``--allow-websocket-origin``: the page and its websocket both come from
nginx's address, so the browser marks the websocket same-origin (``Sec-Fetch-Site``) and
Tornado lets it through, while a page of another site is still refused.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from playwright.sync_api import Page, expect

from benchmarks.wire_user import WireError, WireUser, run_apart
from tests import factories
from tests.deploy.servers import Instance, Nginx, running_nginx, thera_serve
from tests.helpers.waiting import wait_until
from tests.ui.conftest import login, wait_for_panel
from thera_analytics.practice import Practice

pytestmark = pytest.mark.ui

SHOTS = Path(os.environ.get("THERA_SCREENSHOTS", tempfile.gettempdir()))
TIMEOUT = 20_000


@pytest.fixture
def practice(pg_url: str) -> factories.TestPractice:
    tp = factories.make_practice(pg_url)
    tp.extra["event"] = tp.create()  # Ann's session, Monday 1 June 2026 10:00 London
    tp.db.close()
    return tp


@pytest.fixture
def proxied(pg_url: str, practice: factories.TestPractice
            ) -> Iterator[tuple[Nginx, list[Instance]]]:
    # As documented: no --allow-websocket-origin (the instances know only their own address).
    with thera_serve(pg_url, count=2) as instances:
        with running_nginx([i.port for i in instances]) as nginx:
            yield nginx, instances


def test_a_browser_stays_on_one_instance_through_nginx(
        page: Page, proxied: tuple[Nginx, list[Instance]], practice: factories.TestPractice,
        pg_url: str) -> None:
    nginx, instances = proxied
    event_id = practice.extra["event"]
    page.goto(f"{nginx.base}/scheduler?event={event_id}")
    login(page, nginx.base, "ann", "demo")
    wait_for_panel(page)
    expect(page.locator(".thera-week .fc-timegrid-body").first).to_be_visible(timeout=TIMEOUT)
    editor = page.locator(".thera-editor-panel")
    expect(page.locator(".thera-editor-header")).to_contain_text("Cara Cole", timeout=TIMEOUT)
    editor.get_by_role("button", name="2 · Plan").click()
    editor.get_by_label("Plan", exact=True).fill("Saved through the proxy")
    editor.get_by_role("button", name="Save and next ›").click()
    expect(page.get_by_role("button", name="2 · Plan ✓")).to_be_visible(timeout=TIMEOUT)
    page.screenshot(path=SHOTS / "nginx_saved_plan.png")

    with Practice.open(pg_url).db as db:
        assert Practice(db).event(practice.manager, event_id).plan_text == (
            "Saved through the proxy")

    key = next(c["value"] for c in page.context.cookies() if c["name"] == "thera_route")
    page.close()  # nginx logs the websocket once it ends
    # Nothing announces a line of the access log: the file is read again until it holds one.
    wait_until(lambda: any("/ws" in r[3] for r in nginx.routes() if r[0] == key),
               "nginx to log the page's websocket", timeout=20)
    mine = [r for r in nginx.routes() if r[0] == key]
    assert any("/login" in r[3] and r[3].startswith("POST") for r in mine)
    assert any("/ws" in r[3] and r[2] == "101" for r in mine), mine  # the Bokeh websocket
    upstreams = {r[1] for r in mine}
    assert len(upstreams) == 1, mine
    assert upstreams <= {f"127.0.0.1:{i.port}" for i in instances}


def test_a_page_of_another_site_cannot_open_the_websocket_through_nginx(
        proxied: tuple[Nginx, list[Instance]], practice: factories.TestPractice) -> None:
    """Without the option, the origin check still refuses a cross-site page's websocket."""
    nginx, _instances = proxied
    event_id = practice.extra["event"]

    async def open_from(origin: str | None, cross_site: bool) -> None:
        user = WireUser(nginx.base, "ann", origin=origin, cross_site=cross_site)
        await user.sign_in()
        await user.open_session(event_id)
        await user.close()

    run_apart(open_from(None, False))  # the page's own websocket, as the browser sends it
    with pytest.raises(WireError, match="websocket was refused: HTTP 403"):
        run_apart(open_from("http://elsewhere.example.org", True))
    # nginx logs a websocket once it has ended; nothing announces the line but the file.
    wait_until(lambda: len([r for r in nginx.routes() if "/ws" in r[3]]) >= 2,
               "nginx to log both websockets", timeout=20)
    assert sorted(r[2] for r in nginx.routes() if "/ws" in r[3]) == ["101", "403"]


def test_nginx_spreads_browsers_over_both_instances(
        proxied: tuple[Nginx, list[Instance]]) -> None:
    """Browsers behind one address still spread (the key is per browser, not per address)."""
    nginx, instances = proxied
    for n in range(16):
        first = requests.get(f"{nginx.base}/login", timeout=30)
        assert first.status_code == 200 and "thera_route" in first.cookies
        again = requests.get(f"{nginx.base}/login", cookies={"thera_route": f"browser-{n}"},
                             timeout=30)
        assert again.status_code == 200 and "thera_route" not in again.cookies
    by_key: dict[str, set[str]] = {}
    for key, upstream, _status, _request in nginx.routes():
        by_key.setdefault(key, set()).add(upstream)
    assert all(len(seen) == 1 for seen in by_key.values()), by_key
    used = set().union(*by_key.values())
    assert used == {f"127.0.0.1:{i.port}" for i in instances}
