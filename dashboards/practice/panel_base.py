"""What the report panels share: loading when first shown, and a row of key figures."""

from __future__ import annotations

import time
from dataclasses import dataclass
from html import escape

import panel as pn
import param

from dashboards.practice.context import PracticeContext

FIGURES_CSS = """
.thera-figures { display: flex; flex-wrap: wrap; gap: 10px; font-family: system-ui, sans-serif; }
.thera-figure { border: 1px solid #d0d7de; border-radius: 8px; padding: 8px 14px;
                min-width: 150px; background: #ffffff; }
.thera-figure .label { font-size: 12px; color: #57606a; }
.thera-figure .value { font-size: 22px; font-weight: 650; color: #1f2328; line-height: 1.25; }
.thera-figure .note { font-size: 12px; color: #57606a; }
.thera-figure.warn { border-left: 5px solid var(--warn); }
"""


@dataclass(frozen=True)
class Figure:
    """One key figure: what it is, its value, a short note; ``key`` names it for tests and
    scripts (``data-figure``); ``warn`` (a palette colour) marks one needing attention."""

    label: str
    value: str
    note: str = ""
    key: str = ""
    warn: str | None = None


def figures_html(figures: list[Figure]) -> str:
    """Key figures as a row of cards (every text escaped)."""
    cards = []
    for f in figures:
        warn = f' warn" style="--warn:{f.warn}' if f.warn else ""
        key = f' data-figure="{escape(f.key)}"' if f.key else ""
        cards.append(
            f'<div class="thera-figure{warn}"><div class="label">{escape(f.label)}</div>'
            f'<div class="value"{key}>{escape(f.value)}</div>'
            f'<div class="note">{escape(f.note)}</div></div>')
    return f'<div class="thera-figures">{"".join(cards)}</div>'


def figures_pane() -> pn.pane.HTML:
    return pn.pane.HTML("", stylesheets=[FIGURES_CSS], sizing_mode="stretch_width",
                        margin=(6, 5, 10, 5), css_classes=["thera-key-figures"])


def pct(share: object) -> str:
    """A share (0-1) as ``62.3%``; a missing one (nothing to divide by) as an en dash."""
    try:
        value = float(share)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return "–"
    return "–" if value != value else f"{100 * value:.1f}%"


class ReportPanel(pn.viewable.Viewer):
    """A panel of report tables: reads its data when first shown (``lazy``) or at once, and
    again whenever the week or the instant measured changes."""

    context = param.ClassSelector(class_=PracticeContext)
    lazy = param.Boolean(default=False, doc="Wait for activate() before reading anything.")
    loaded = param.Boolean(default=False, doc="The data has been read at least once.")
    load_seconds = param.Number(default=0.0, doc="How long the last read took.")

    def __init__(self, **params: object) -> None:
        super().__init__(**params)
        if not self.lazy:
            self.activate()

    def activate(self) -> None:
        """Read the data now if it has not been read yet (the tab was opened)."""
        if not self.loaded:
            self.reload()

    def reload(self) -> None:
        started = time.perf_counter()
        self.load()
        self.load_seconds = time.perf_counter() - started
        self.loaded = True

    def load(self) -> None:
        """Read this panel's report tables; every panel (attendance, backlog, completion)
        overrides it. (Not an ABC: param's metaclass does not mix with ABCMeta.)"""
        raise NotImplementedError(f"{type(self).__name__} must define load()")

    @param.depends("context.week", "context.as_of", "context.trend_weeks", watch=True)
    def _on_context(self) -> None:
        if self.loaded:
            self.reload()
