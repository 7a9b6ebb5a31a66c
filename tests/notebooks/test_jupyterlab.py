"""The notebooks in the real client: ``thera lab`` serves JupyterLab, Chromium runs every cell
with every request to another host refused, and each chart and the dashboard draw and respond.

JupyterLab runs on a copy of the notebooks (it saves what it runs) with the fixed sample
practice and the sample's "now" (``THERA_AS_OF``), on a free loopback port.
"""

from __future__ import annotations

from tests.helpers.waiting import wait_until

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Locator, Page, Route, expect

from tests.notebooks.conftest import NOTEBOOKS
from tests.notebooks.sample_practice import AS_OF

pytestmark = [pytest.mark.ui, pytest.mark.slow]

THERA = Path(sys.executable).with_name("thera")
SHOTS = Path(os.environ.get("THERA_SHOTS", Path(tempfile.gettempdir()) / "thera-shots"))
START_TIMEOUT_S = 90
RUN_TIMEOUT_MS = 240_000
MISSING_LIBRARY = "library is missing"  # BokehJS: "... because BokehJS library is missing"

# Settings of our own, so the test sees every cell (JupyterLab otherwise renders only the
# cells in view) and no news prompt covers the page.
SETTINGS = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false"},
}


@dataclass
class Lab:
    base: str
    token: str
    folder: Path
    log: Path


@dataclass
class Visit:
    """What the browser tried while a notebook ran."""

    refused: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def lab(sample_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    root = tmp_path_factory.mktemp("lab")
    folder = root / "notebooks"
    folder.mkdir()
    for notebook in NOTEBOOKS.glob("*.ipynb"):
        shutil.copy(notebook, folder / notebook.name)
    for name, values in SETTINGS.items():
        target = root / "settings" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(values))
    token = secrets.token_hex(16)
    env = {**os.environ, "THERA_DB": str(sample_db), "THERA_AS_OF": AS_OF.isoformat(),
           "JUPYTERLAB_SETTINGS_DIR": str(root / "settings"),
           "JUPYTERLAB_WORKSPACES_DIR": str(root / "workspaces"),
           "JUPYTER_RUNTIME_DIR": str(root / "runtime")}
    log = root / "lab.log"
    with open(log, "w") as out:
        process = subprocess.Popen(
            # Port 0: the server binds a port the system chooses and writes it to its runtime
            # file, read there (no port picked beforehand and bound again).
            [str(THERA), "lab", "--port", "0", "--no-browser", "--notebooks",
             str(folder), "--", f"--ServerApp.token={token}",
             "--LabApp.expose_app_in_browser=True"],
            env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        base = _wait_until_serving(root / "runtime", token, process, log)
        yield Lab(base, token, folder, log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


def _wait_until_serving(runtime: Path, token: str, process: subprocess.Popen[bytes],
                        log: Path) -> str:
    """The lab's base URL, once it answers (its port from the server's runtime file)."""
    def answering() -> str | None:
        try:
            info = json.loads(next(runtime.glob("jpserver-*.json")).read_text())
            base = f"http://127.0.0.1:{info['port']}"
            with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2) as r:
                return base if r.status == 200 else None
        except (OSError, StopIteration, ValueError, KeyError):
            return None

    def stopped() -> str | None:
        return "thera lab stopped" if process.poll() is not None else None

    try:
        return wait_until(answering, "JupyterLab to answer", START_TIMEOUT_S, interval=0.2,
                          gave_up=stopped)
    except AssertionError as exc:
        raise AssertionError(f"{exc}: {log.read_text()[-3000:]}") from None


def open_offline(page: Page, lab: Lab) -> Visit:
    """Refuse every request that does not go to the lab's own server; record the console."""
    visit = Visit()

    def route(r: Route) -> None:
        url = r.request.url
        if url.startswith(lab.base) or url.startswith(("data:", "blob:")):
            r.continue_()
        else:
            visit.refused.append(url)
            r.abort()

    page.route("**/*", route)
    page.on("console", lambda m: visit.console.append(f"{m.type}: {m.text}"))
    page.set_viewport_size({"width": 1400, "height": 1000})  # with the file browser open
    return visit


KERNEL_IDLE = ("() => window.jupyterapp?.shell?.currentWidget?.sessionContext?.session"
               "?.kernel?.status === 'idle'")
ALL_RUN = """() => {
  const panel = window.jupyterapp.shell.currentWidget;
  const code = panel.content.widgets.filter(c => c.model.type === 'code');
  return code.length > 0 && code.every(c => c.model.executionCount !== null)
    && panel.sessionContext.session.kernel.status === 'idle';
}"""
CELLS = """() => window.jupyterapp.shell.currentWidget.content.widgets
  .filter(c => c.model.type === 'code')
  .map(c => ({source: c.model.sharedModel.getSource(),
              outputs: c.model.sharedModel.outputs}))"""


def run_all(page: Page, lab: Lab, name: str) -> tuple[Locator, list[dict[str, Any]]]:
    """Open a notebook, run all its cells, wait until each has run; return its code cells
    (as locators) and their sources and outputs."""
    page.goto(f"{lab.base}/lab/tree/{name}?token={lab.token}&reset")
    page.wait_for_function(KERNEL_IDLE, timeout=RUN_TIMEOUT_MS)
    page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
    page.wait_for_function(ALL_RUN, timeout=RUN_TIMEOUT_MS, polling=500)
    panel_id = page.evaluate("window.jupyterapp.shell.currentWidget.id")
    cells = page.locator(f"[id='{panel_id}'] .jp-CodeCell")
    return cells, page.evaluate(CELLS)


def is_chart_cell(source: str) -> bool:
    """A cell that draws a chart or a dashboard panel (every one of them holds a chart)."""
    last = source.strip().splitlines()[-1]
    return "_chart(" in source or last in {"completion", "backlog", "attendance"} or (
        "app.week" in last or "app.servable" in last)


@pytest.mark.parametrize("name", ["attendance_report.ipynb", "unsigned_notes_backlog.ipynb",
                                  "practice_dashboard.ipynb"])
def test_every_cell_runs_and_every_chart_draws_offline(page: Page, lab: Lab, name: str) -> None:
    visit = open_offline(page, lab)
    cells, sources = run_all(page, lab, name)
    assert cells.count() == len(sources)

    errors = [(s["source"][:60], o.get("ename"), o.get("evalue")) for s in sources
              for o in s["outputs"] if o.get("output_type") == "error"]
    assert errors == []
    stderr = [o.get("text") for s in sources for o in s["outputs"]
              if o.get("name") == "stderr" and "Traceback" in str(o.get("text"))]
    assert stderr == []

    # The first cell set the libraries up, and says they ran.
    assert "notebook.setup()" in sources[0]["source"]
    expect(cells.first.locator(".thera-js-status")).to_contain_text("Charts and widgets ready")

    charts = [i for i, s in enumerate(sources) if is_chart_cell(s["source"])]
    assert charts, "no chart cell found"
    for i in charts:
        canvas = cells.nth(i).locator("canvas")
        expect(canvas.first).to_be_attached(timeout=30_000)
        assert canvas.count() >= 1, sources[i]["source"]
    SHOTS.mkdir(parents=True, exist_ok=True)
    cells.nth(charts[-1]).scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / f"lab-{name}.png"))

    assert visit.refused == []
    assert not [m for m in visit.console if MISSING_LIBRARY in m]


WEEK_SPAN = """cell => {
  const spans = [];
  const inside = el => {  // through the shadow roots Bokeh draws in
    let node = el;
    while (node && !cell.contains(node)) node = node.getRootNode().host;
    return Boolean(node);
  };
  const walk = v => {
    if (v.model.name === 'thera-practice-week' && inside(v.el))
      spans.push(v.model.x_range.end - v.model.x_range.start);
    (v.child_views || []).forEach(walk);
  };
  Object.values(window.Bokeh.index).forEach(walk);
  return spans;
}"""


def test_the_dashboard_answers_clicks_through_the_kernel(page: Page, lab: Lab) -> None:
    visit = open_offline(page, lab)
    cells, sources = run_all(page, lab, "practice_dashboard.ipynb")
    week = cells.nth(next(i for i, s in enumerate(sources) if "app.week" in s["source"]))
    week.scroll_into_view_if_needed()
    expect(week.locator("canvas").first).to_be_attached(timeout=30_000)
    whole_week = week.element_handle()
    spans = page.evaluate(WEEK_SPAN, whole_week)
    assert spans and max(spans) >= 5  # the working days across (weekends when booked)

    # A day: the week narrows to that day, drawn again by the kernel.
    week.get_by_role("button", name="Tue", exact=True).first.click()
    page.wait_for_function(f"cell => ({WEEK_SPAN})(cell).some(s => s <= 1.5)", arg=whole_week,
                           timeout=30_000)
    week.screenshot(path=str(SHOTS / "lab-dashboard-tuesday.png"))

    # The week is never cut off: wider than the cell, its output scrolls to the last column.
    fits = page.evaluate("""cell => {
      const out = cell.querySelector('.jp-OutputArea-output');
      const style = getComputedStyle(out);
      if (out.scrollWidth <= out.clientWidth + 1) return 'fits';
      return ['auto', 'scroll'].includes(style.overflowX) ? 'scrolls' : 'cut';
    }""", whole_week)
    assert fits in {"fits", "scrolls"}

    # A tab of the whole dashboard: its panel is shown.
    app = cells.last
    app.scroll_into_view_if_needed()
    backlog = app.locator(".thera-backlog").first
    expect(backlog).to_be_hidden()
    app.get_by_text("Backlog", exact=True).first.click()
    expect(backlog).to_be_visible(timeout=30_000)
    expect(app.get_by_text("By clinician and age").first).to_be_visible()
    app.screenshot(path=str(SHOTS / "lab-dashboard-backlog-tab.png"))

    assert visit.refused == []
    assert not [m for m in visit.console if MISSING_LIBRARY in m]
