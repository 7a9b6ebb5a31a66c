"""axe-core (installed from the npm registry by scripts/setup.sh) run inside the page under test."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.sync_api import Page

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = ("critical", "serious")


def violations(page: Page) -> list[dict[str, Any]]:
    """Every WCAG 2.x A/AA violation axe finds on the page as it is now (shadow roots too)."""
    if not AXE.is_file():
        raise RuntimeError(f"{AXE.name} is missing: run scripts/setup.sh")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=AXE.read_text())
    return page.evaluate("""async () => {
      if (window.theraRepair) window.theraRepair();
      const result = await axe.run(document, {runOnly: {type: 'tag',
        values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}});
      return result.violations.map((v) => ({id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ') + ' :: ' + n.failureSummary)}));
    }""")


def blocking(page: Page) -> list[dict[str, Any]]:
    """The critical and serious violations only: these must be none."""
    return [v for v in violations(page) if v["impact"] in BLOCKING]
