"""What one signed-in ``/scheduler`` page costs the server, against a bare Panel page.

Both are served by one server in this process (``dashboards.server.serve``, threaded, on
127.0.0.1), behind the same login, and measured in the same run over HTTP: the time from request
to the whole page (Panel builds and serialises the session's document while answering the GET),
one page at a time and with ``--users`` clients asking at once. The floor is a bare Panel page
holding one small HoloViews plot, the page the issue measured ours against.

    .venv/bin/python -m benchmarks.page_cost                  # 8 clinicians, 20 users at once
    .venv/bin/python -m benchmarks.page_cost --users 10 --pages 5
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import statistics
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import holoviews as hv
import panel as pn

from thera_analytics.clock import Clock, FixedClock
from thera_analytics.domain.actor import Actor, Role
from thera_analytics.sample.generator import generate_practice
from thera_analytics.service import accounts
from thera_analytics.store.database import Database
from thera_app import server as thera_server
from thera_app.server import Route

NOW = datetime(2026, 11, 26, 3, 30, tzinfo=UTC)  # a Thursday afternoon in Sydney


def create_app(db: Database, actor: Actor, clock: Clock) -> pn.viewable.Viewable:
    """The floor, served as one more route of the same server behind the same login: a bare
    Panel page with one small HoloViews plot."""
    hv.extension("bokeh", logo=False)
    return pn.Column("# Bare page", pn.pane.HoloViews(hv.Curve([1, 3, 2])))


FLOOR = Route("/bare", "Bare page", sys.modules[__name__], frozenset({Role.CLINICIAN}))


def signed_in_opener(base: str, user: str, password: str) -> urllib.request.OpenerDirector:
    """An HTTP client holding the login cookies of ``user``."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    body = urllib.parse.urlencode({"username": user, "password": password,
                                   "next": "/scheduler"}).encode()
    opener.open(f"{base}/login", data=body, timeout=60).read()
    if not any(c.name == "user" for c in jar):
        raise RuntimeError(f"could not sign in as {user}")
    return opener


def fetch(opener: urllib.request.OpenerDirector, url: str) -> float:
    started = time.perf_counter()
    with opener.open(url, timeout=120) as response:
        page = response.read()
    elapsed = time.perf_counter() - started
    if b"bokeh" not in page.lower():
        raise RuntimeError(f"{url} did not answer with a Panel page")
    return elapsed


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure(openers: list[urllib.request.OpenerDirector], url: str, pages: int,
            users: int) -> dict[str, float]:
    """One page at a time (``pages`` times), then ``users`` at once (twice each)."""
    fetch(openers[0], url)  # warm: imports, templates, the first session
    alone = [fetch(openers[0], url) for _ in range(pages)]
    together: list[float] = []
    with ThreadPoolExecutor(users) as pool:
        for _ in range(2):
            together += list(pool.map(lambda o: fetch(o, url), openers[:users]))
    return {"alone_median_s": statistics.median(alone), "alone_p95_s": percentile(alone, .95),
            "together_median_s": statistics.median(together),
            "together_p95_s": percentile(together, .95)}


def run(clinicians: int, weeks: int, users: int, pages: int) -> dict[str, dict[str, float]]:
    os.environ.setdefault(thera_server.COOKIE_SECRET_ENV, "benchmark-only-" + "x" * 32)
    folder = Path(tempfile.mkdtemp(prefix="thera-page-cost-"))
    path = folder / "practice.duckdb"
    with Database(path) as db:
        generate_practice(db, clinicians=clinicians, weeks=weeks, seed=3, now=NOW,
                          password_hash=accounts.hash_password("demo"))
    server = thera_server.serve(path, port=0, address="127.0.0.1", threaded=True,
                                clock=FixedClock(NOW), reminders=False,
                                routes=(*thera_server.ROUTES, FLOOR))
    try:
        base = f"http://127.0.0.1:{server.port}"
        names = [f"clinician{1 + i % clinicians}" for i in range(users)]
        signed_in = [signed_in_opener(base, name, "demo") for name in names]
        return {
            "bare Panel page (floor)": measure(signed_in, f"{base}/bare", pages, users),
            "signed-in /scheduler": measure(signed_in, f"{base}/scheduler", pages, users),
        }
    finally:
        thera_server.stop(server)


def table(results: dict[str, dict[str, float]], users: int) -> str:
    floor = results["bare Panel page (floor)"]
    lines = ["| page | alone, median | alone, p95 | "
             f"{users} at once, median | {users} at once, p95 | p95 alone / floor | "
             f"p95 at once / floor |", "|---|---:|---:|---:|---:|---:|---:|"]
    for name, r in results.items():
        lines.append(
            f"| {name} | {r['alone_median_s'] * 1000:.0f} ms | {r['alone_p95_s'] * 1000:.0f} ms "
            f"| {r['together_median_s'] * 1000:.0f} ms | {r['together_p95_s'] * 1000:.0f} ms "
            f"| {r['alone_p95_s'] / floor['alone_p95_s']:.2f}x "
            f"| {r['together_p95_s'] / floor['together_p95_s']:.2f}x |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clinicians", type=int, default=8)
    parser.add_argument("--weeks", type=int, default=10)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--pages", type=int, default=10)
    args = parser.parse_args()
    results = run(args.clinicians, args.weeks, args.users, args.pages)
    print(table(results, args.users))


if __name__ == "__main__":
    main()
