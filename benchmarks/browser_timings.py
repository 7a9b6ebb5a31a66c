"""What a clinician waits for in the browser, against bare Panel pages in the same run.

Headless Chromium (``/usr/bin/chromium``, through Playwright) against one server in this
process (``thera_app.server.serve``, threaded, on 127.0.0.1), serving the apps and, behind the
same login, two floors:

- **sign-in to week drawn**: from pressing "Sign in" to the week's events on screen, against
  pressing "Sign in" to a bare Panel page with one small HoloViews plot drawn (target: within
  1.5x);
- **click on a session to its editor**: from a click on the first client session of the freshly
  loaded week to its editor shown with that session: the header naming the session's client
  and the step it opens on drawn, against a click on a button that updates one pane (target:
  within 3x). Also **the same click once the editor is built**: taken once the editor built
  after page load is in the page (hidden), so it measures opening a session alone, without
  waiting for that build (a diagnosis, not the target).

Every repeat signs in a fresh browser context (no cookie, no cache kept), one repeat of ours and
one of the floor in turn, so a machine that gets busier slows both alike; the table shows
medians over the repeats.

    .venv/bin/python -m benchmarks.browser_timings                # 8 clinicians, 7 repeats
    .venv/bin/python -m benchmarks.browser_timings --repeats 3 --out timings.json
    .venv/bin/python -m benchmarks.browser_timings --quick        # runs it small (CI)
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import holoviews as hv
import panel as pn
from playwright.sync_api import Browser, Page, sync_playwright

from thera_analytics.clock import Clock, FixedClock
from thera_analytics.domain.actor import Actor, Role
from thera_analytics.sample.generator import generate_practice
from thera_analytics.service import accounts
from thera_analytics.store.database import Database
from thera_app import server as thera_server
from thera_app.server import Route

NOW = datetime(2026, 11, 26, 3, 30, tzinfo=UTC)  # a Thursday afternoon in Sydney
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
TIMEOUT_MS = 120_000
WEEK_DRAWN = ".thera-week .fc-event"
SESSION = ".thera-ev-dots"  # only client sessions carry the three dots
EDITOR_SHOWN = ".thera-editor-header"
STEP_SHOWN = ", ".join(f".thera-step-{s}:visible" for s in ("details", "plan", "outcome"))
TARGETS = {"sign-in to week drawn": 1.5, "click on a session to its editor": 3.0,
           "the same click once the editor is built": 3.0}


def create_app(db: Database, actor: Actor, clock: Clock) -> pn.viewable.Viewable:
    """The floors, served as routes of the same server behind the same login: a bare page
    with one small HoloViews plot, and a button that updates one pane."""
    if pn.state.location is not None and pn.state.location.pathname.endswith("/button"):
        pane = pn.pane.Markdown("Not clicked yet", css_classes=["floor-pane"])
        button = pn.widgets.Button(label="Update the pane", css_classes=["floor-button"])
        button.on_click(lambda _: setattr(pane, "object", f"Clicked {button.clicks}"))
        return pn.Column("# Button page", button, pane)
    hv.extension("bokeh", logo=False)
    return pn.Column("# Bare page", pn.pane.HoloViews(hv.Curve([1, 3, 2])))


_THIS = sys.modules[__name__]
FLOORS = (Route("/bare", "Bare page", _THIS, frozenset({Role.CLINICIAN})),
          Route("/button", "Button page", _THIS, frozenset({Role.CLINICIAN})))


def sign_in(page: Page, base: str, next_path: str, drawn: str) -> float:
    """Seconds from pressing "Sign in" (login page already shown) to ``drawn`` on screen."""
    page.goto(f"{base}/login?next={next_path}")
    page.get_by_label("User name").fill("clinician1")
    page.get_by_label("Password").fill("demo")
    started = time.perf_counter()
    page.get_by_role("button", name="Sign in").click()
    page.locator(drawn).first.wait_for(state="visible", timeout=TIMEOUT_MS)
    return time.perf_counter() - started


def week_signed_in(page: Page, base: str) -> float:
    return sign_in(page, base, "/scheduler", WEEK_DRAWN)


def bare_signed_in(page: Page, base: str) -> float:
    return sign_in(page, base, "/bare", ".bk-Canvas, canvas")


def session_opened(page: Page, base: str, *, editor_built: bool = False) -> float:
    """Seconds from a click on the week's first client session, as soon as the week is drawn
    (or once the editor built after page load is in the page, hidden), to its editor shown:
    the header names the session's client and a step is drawn."""
    sign_in(page, base, "/scheduler", WEEK_DRAWN)
    if editor_built:
        page.locator(EDITOR_SHOWN).first.wait_for(state="attached", timeout=TIMEOUT_MS)
    event = page.locator(WEEK_DRAWN).filter(has=page.locator(SESSION)).first
    client = event.locator(".thera-ev-who").inner_text().split(", ")[0]
    started = time.perf_counter()
    event.click()
    page.locator(EDITOR_SHOWN).filter(has_text=client).first.wait_for(
        state="visible", timeout=TIMEOUT_MS)
    page.locator(STEP_SHOWN).first.wait_for(state="visible", timeout=TIMEOUT_MS)
    return time.perf_counter() - started


def pane_updated(page: Page, base: str) -> float:
    """Seconds from a click on the floor's button to its pane showing the click."""
    sign_in(page, base, "/button", ".floor-button button")
    started = time.perf_counter()
    page.locator(".floor-button button").click()
    page.locator(".floor-pane").filter(has_text="Clicked 1").wait_for(timeout=TIMEOUT_MS)
    return time.perf_counter() - started


def built_session_opened(page: Page, base: str) -> float:
    """The same click, taken once the editor is built: what opening a session costs alone."""
    return session_opened(page, base, editor_built=True)


Timing = Callable[[Page, str], float]
PAIRS: dict[str, tuple[Timing, Timing]] = {
    "sign-in to week drawn": (week_signed_in, bare_signed_in),
    "click on a session to its editor": (session_opened, pane_updated),
    "the same click once the editor is built": (built_session_opened, pane_updated),
}


def once(browser: Browser, base: str, timing: Timing) -> float:
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    try:
        return timing(context.new_page(), base)
    finally:
        context.close()


def run(clinicians: int, weeks: int, repeats: int) -> dict[str, dict[str, list[float]]]:
    """Every repeat's seconds, ours and the floor's, per measurement."""
    os.environ.setdefault(thera_server.COOKIE_SECRET_ENV, "benchmark-only-" + "x" * 32)
    folder = Path(tempfile.mkdtemp(prefix="thera-browser-timings-"))
    path = folder / "practice.duckdb"
    with Database(path) as db:
        generate_practice(db, clinicians=clinicians, weeks=weeks, seed=3, now=NOW,
                          password_hash=accounts.hash_password("demo"))
    server = thera_server.serve(path, port=0, address="127.0.0.1", threaded=True,
                                clock=FixedClock(NOW), reminders=False,
                                routes=(*thera_server.ROUTES, *FLOORS))
    results: dict[str, dict[str, list[float]]] = {
        name: {"ours": [], "floor": []} for name in PAIRS}
    try:
        base = f"http://127.0.0.1:{server.port}"
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                for name, (ours, floor) in PAIRS.items():
                    once(browser, base, ours)  # warm: imports, templates, bundles
                    once(browser, base, floor)
                    for _ in range(repeats):
                        results[name]["ours"].append(once(browser, base, ours))
                        results[name]["floor"].append(once(browser, base, floor))
            finally:
                browser.close()
    finally:
        thera_server.stop(server)
    return results


def table(results: dict[str, dict[str, list[float]]]) -> str:
    lines = ["| measurement | ours, median | floor, median | floor | ours / floor | target |",
             "|---|---:|---:|---|---:|---:|"]
    floors = {"sign-in to week drawn": "sign-in to a bare Panel page drawn",
              "click on a session to its editor": "click on a button that updates one pane",
              "the same click once the editor is built":
                  "click on a button that updates one pane"}
    for name, r in results.items():
        ours, floor = statistics.median(r["ours"]), statistics.median(r["floor"])
        lines.append(f"| {name} | {ours * 1000:,.0f} ms | {floor * 1000:,.0f} ms "
                     f"| {floors[name]} | {ours / floor:.2f}x | {TARGETS[name]:.1f}x |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--clinicians", type=int, default=8)
    parser.add_argument("--weeks", type=int, default=10)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--out", type=Path, help="also write every repeat's seconds as JSON")
    parser.add_argument("--quick", action="store_true",
                        help="2 clinicians x 2 weeks, 2 repeats: checks it runs (CI)")
    args = parser.parse_args()
    if args.quick:
        args.clinicians, args.weeks, args.repeats = 2, 2, 2
    before = os.getloadavg()
    results = run(args.clinicians, args.weeks, args.repeats)
    if args.out:
        args.out.write_text(json.dumps({"load_average": os.getloadavg(), "seconds": results},
                                       indent=2))
    print(table(results))
    after = os.getloadavg()
    print(f"\nload average (1 min) {before[0]:.1f} before, {after[0]:.1f} after; "
          f"{args.clinicians} clinicians x {args.weeks} weeks, {args.repeats} repeats")


if __name__ == "__main__":
    main()
