"""Load: simulated clinicians against one DuckDB process and against two PostgreSQL processes,
on loopback.

    python -m benchmarks.load                      # 20 and 40 users, one minute each
    python -m benchmarks.load --users 2 --seconds 10 --out-dir out   # a smoke run
    python -m benchmarks.load --users-kind browser --users 4          # headless Chromium pages

Each user is signed in as one of the sample practice's clinicians. It opens one of that
clinician's coming sessions by its address (page ready), writes a new plan and saves it (save:
until "Plan saved." is in), and starts again until the time is up. By default a user is a wire
user (``benchmarks/wire_user.py``): it sends over HTTP and the Bokeh websocket what the browser
sends (page ready: the session's document pulled and the browser's first patches acknowledged),
so that the servers, not simulated browsers, take the machine's cores. ``--users-kind browser``
makes each user a headless Chromium page in its own browser context (page ready: the week drawn
and the session open in the editor). The configurations
run interleaved (DuckDB, PostgreSQL, PostgreSQL, DuckDB for two sizes), each on a fresh copy of
the same generated practice, with the load average recorded around each. A save counts as lost
if, after the run, the database does not hold the last plan the page said it saved.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from playwright.async_api import Browser, async_playwright
from tornado.httpclient import AsyncHTTPClient

from benchmarks.wire_user import WireUser
from tests.deploy.servers import thera_serve
from tests.pg_cluster import running_cluster
from thera_analytics.sample.generator import generate_practice
from thera_analytics.store.copying import copy_practice
from thera_analytics.store.database import Database

CHROMIUM = os.environ.get("THERA_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
CLINICIANS = 20
USERS_KINDS = {"wire": "wire users: HTTP and the Bokeh websocket, no browser",
               "browser": "headless Chromium pages"}
TIMEOUT_MS = 60_000


@dataclass
class Result:
    """What one configuration's users saw."""

    engine: str
    processes: int
    users: int
    seconds: float
    page_ready: list[float] = field(default_factory=list)
    save: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    saved: dict[int, str] = field(default_factory=dict)  # event -> last acknowledged plan
    lost: int = 0
    load: dict[str, float] = field(default_factory=dict)

    def row(self) -> dict[str, Any]:
        def pct(values: list[float], p: int) -> float | None:
            if not values:
                return None
            ordered = sorted(values)
            return round(1000 * ordered[min(len(ordered) - 1, int(len(ordered) * p / 100))])

        return {"engine": self.engine, "processes": self.processes, "users": self.users,
                "seconds": self.seconds, "pages": len(self.page_ready),
                "page_ready_p50_ms": pct(self.page_ready, 50),
                "page_ready_p95_ms": pct(self.page_ready, 95), "saves": len(self.save),
                "save_p50_ms": pct(self.save, 50), "save_p95_ms": pct(self.save, 95),
                "errors": len(self.errors), "lost_saves": self.lost, "load_average": self.load,
                "error_examples": sorted(set(self.errors))[:3]}


def sample_practice(path: Path) -> None:
    """The practice every configuration starts from: 20 clinicians, eight weeks, three ahead."""
    with Database(path) as db:
        generate_practice(db, clinicians=CLINICIANS, weeks=8, seed=11,
                          now=datetime.now(UTC), end=datetime.now(UTC).date())


def assignments(db: Database, users: int) -> list[tuple[str, int]]:
    """(login, event) per user: each user its own coming, unsigned session of its clinician."""
    frame = db.df(
        "SELECT u.username, e.id FROM events e JOIN users u ON u.clinician_id = e.clinician_id"
        " JOIN event_kinds k ON k.kind = e.kind WHERE k.event_group = 'client'"
        " AND e.cancelled_at IS NULL AND e.starts_at > ? AND u.role = 'clinician'"
        " ORDER BY e.starts_at, e.id", [datetime.now(UTC) + timedelta(days=1)])
    by_user: dict[str, list[int]] = {}
    for username, event_id in frame.itertuples(index=False):
        by_user.setdefault(str(username), []).append(int(event_id))
    logins = sorted(by_user, key=lambda u: int(u.removeprefix("clinician")))
    return [(logins[i % len(logins)], by_user[logins[i % len(logins)]][i // len(logins)])
            for i in range(users)]


async def one_user(browser: Browser, base: str, login: str, event_id: int, until: float,
                   result: Result) -> None:
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    try:
        n = 0
        signed_in = False
        # Every user saves once at least (giving up after a few errors), then until time is up.
        while (n == 0 and len(result.errors) < 3) or time.monotonic() < until:
            try:
                if not signed_in:
                    await page.goto(f"{base}/login")
                    await page.get_by_label("User name").fill(login)
                    await page.get_by_label("Password").fill("demo")
                    await page.get_by_role("button", name="Sign in").click()
                    await page.wait_for_url(lambda url: "/login" not in url,
                                            wait_until="commit")
                    signed_in = True
                started = time.perf_counter()
                await page.goto(f"{base}/scheduler?event={event_id}")
                await page.locator(".thera-week .fc-timegrid-body").first.wait_for()
                await page.get_by_role("button", name="2 · Plan").first.wait_for()
                result.page_ready.append(time.perf_counter() - started)
                await page.get_by_role("button", name="2 · Plan").first.click()
                text = f"Plan {event_id}.{n} from the load run"
                await page.locator(".thera-editor-panel").get_by_label(
                    "Plan", exact=True).fill(text)
                started = time.perf_counter()
                await page.locator(".thera-editor-panel").get_by_role(
                    "button", name="Save and next ›").click()
                await page.get_by_text("Plan saved.").first.wait_for()
                result.save.append(time.perf_counter() - started)
                result.saved[event_id] = text
                n += 1
            except Exception as exc:  # noqa: BLE001 - counted and reported, the user goes on
                result.errors.append(f"{type(exc).__name__}: {str(exc).splitlines()[0][:120]}")
    finally:
        await context.close()


async def one_wire_user(base: str, login: str, event_id: int, until: float,
                        result: Result) -> None:
    user = WireUser(base, login, timeout=TIMEOUT_MS / 1000)
    n = 0
    signed_in = False
    try:
        while (n == 0 and len(result.errors) < 3) or time.monotonic() < until:
            try:
                if not signed_in:
                    await user.sign_in()
                    signed_in = True
                started = time.perf_counter()
                editor = await asyncio.wait_for(user.open_session(event_id), TIMEOUT_MS / 1000)
                result.page_ready.append(time.perf_counter() - started)
                text = f"Plan {event_id}.{n} from the load run"
                await user.type_plan(editor, text)
                started = time.perf_counter()
                await asyncio.wait_for(user.save(editor, text), TIMEOUT_MS / 1000)
                result.save.append(time.perf_counter() - started)
                result.saved[event_id] = text
                n += 1
            except Exception as exc:  # noqa: BLE001 - counted and reported, the user goes on
                result.errors.append(f"{type(exc).__name__}: {str(exc).splitlines()[0][:120]}"
                                     if str(exc) else type(exc).__name__)
    finally:
        await user.close()


async def drive_wire(base: str, work: list[tuple[str, int]], seconds: float,
                     result: Result) -> None:
    # Tornado's client queues requests beyond ten at a time: every user gets its own.
    AsyncHTTPClient.configure(None, max_clients=max(10, 2 * len(work)))
    until = time.monotonic() + seconds
    await asyncio.gather(*(one_wire_user(base, login, event_id, until, result)
                           for login, event_id in work))


async def drive(base: str, work: list[tuple[str, int]], seconds: float, result: Result) -> None:
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            until = time.monotonic() + seconds
            await asyncio.gather(*(one_user(browser, base, login, event_id, until, result)
                                   for login, event_id in work))
        finally:
            await browser.close()


def count_lost(db: Database, saved: dict[int, str]) -> int:
    lost = 0
    for event_id, text in saved.items():
        row = db.cursor().execute("SELECT plan_text FROM plans WHERE event_id = ?",
                                  [event_id]).fetchone()
        lost += row is None or row[0] != text
    return lost


def run_one(engine: str, users: int, seconds: float, master: Path, cluster: Any,
            folder: Path, kind: str = "wire") -> Result:
    result = Result(engine, 2 if engine == "postgresql" else 1, users, seconds)
    if engine == "duckdb":
        target: str = str(folder / f"load-{users}-{time.monotonic_ns()}.duckdb")
        shutil.copy(master, target)
    else:
        target = cluster.create_database()
        with Database(master, read_only=True) as source:
            copy_practice(source, target)
    with Database(target) as db:
        work = assignments(db, users)
    result.load["before"] = round(os.getloadavg()[0], 2)
    with thera_serve(target, processes=result.processes) as (instance, *_):
        driver = drive_wire if kind == "wire" else drive
        asyncio.run(driver(instance.base, work, seconds, result))
    result.load["after"] = round(os.getloadavg()[0], 2)
    with Database(target) as db:
        result.lost = count_lost(db, result.saved)
    if engine == "postgresql":
        cluster.drop_database(target)
    return result


def markdown(rows: list[dict[str, Any]], meta: dict[str, Any]) -> str:
    lines = [
        f"Run {meta['started_at']} on {meta['cores']} cores; each configuration "
        f"{meta['seconds']:.0f} s of simulated users ({USERS_KINDS[meta['users_kind']]} on "
        "the same machine), configurations interleaved.",
        "",
        "| users | server | pages | page ready p50 / p95 | saves | save p50 / p95 | errors "
        "| lost saves | load average before → after |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in rows:
        server = ("1 process, DuckDB file" if r["engine"] == "duckdb"
                  else f"{r['processes']} processes, PostgreSQL")
        lines.append(
            f"| {r['users']} | {server} | {r['pages']} | {r['page_ready_p50_ms']} / "
            f"{r['page_ready_p95_ms']} ms | {r['saves']} | {r['save_p50_ms']} / "
            f"{r['save_p95_ms']} ms | {r['errors']} | {r['lost_saves']} | "
            f"{r['load_average']['before']} → {r['load_average']['after']} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, nargs="+", default=[20, 40])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--users-kind", choices=sorted(USERS_KINDS), default="wire",
                        help="wire: the browser's messages over HTTP and the websocket "
                             "(default); browser: headless Chromium pages")
    parser.add_argument("--out-dir", type=Path, default=Path(__file__).parent / "results")
    args = parser.parse_args(argv)
    started = datetime.now(UTC)
    rows = []
    with tempfile.TemporaryDirectory(prefix="thera-load-") as tmp, running_cluster() as cluster:
        folder = Path(tmp)
        master = folder / "practice.duckdb"
        sample_practice(master)
        for i, users in enumerate(args.users):
            order = ("duckdb", "postgresql") if i % 2 == 0 else ("postgresql", "duckdb")
            for engine in order:
                result = run_one(engine, users, args.seconds, master, cluster, folder,
                                 args.users_kind)
                rows.append(result.row())
                print(json.dumps(rows[-1]), flush=True)
    rows.sort(key=lambda r: (r["users"], r["engine"]))
    meta = {"started_at": started.isoformat(timespec="seconds"), "cores": os.cpu_count(),
            "seconds": args.seconds, "users": args.users, "users_kind": args.users_kind}
    args.out_dir.mkdir(parents=True, exist_ok=True)
    (args.out_dir / "load.json").write_text(json.dumps({**meta, "rows": rows}, indent=2) + "\n")
    (args.out_dir / "load.md").write_text(markdown(rows, meta))
    print(markdown(rows, meta))
    if any(r["lost_saves"] for r in rows):
        raise SystemExit("saves were lost")


if __name__ == "__main__":
    main()
