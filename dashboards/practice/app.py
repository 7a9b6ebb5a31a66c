"""The practice manager's dashboard at ``/practice``: the week, completion, backlog, attendance,
cancellations and changes.

One ``PracticeContext`` (week, instant measured) drives every panel. The week opens first and
the other tabs read their data when first opened, so the page appears as soon as the week is
drawn. Clicking an event (on the week or in a list) shows its record, read-only, in a drawer.
"""

from __future__ import annotations

import asyncio
from html import escape

import panel as pn
import param

from dashboards.panel_internals import LayoutBatching
from dashboards.practice.attendance import AttendancePanel
from dashboards.practice.backlog import BacklogPanel
from dashboards.practice.cancellations import CancellationsPanel
from dashboards.practice.changes import ChangesPanel
from dashboards.practice.completion import CompletionPanel
from dashboards.practice.context import PracticeContext
from dashboards.practice.panel_base import FIGURES_CSS
from dashboards.practice.period import WeekPicker
from dashboards.practice.practice_week import PracticeWeek
from dashboards.practice.record import RecordPanel
from dashboards.practice.tables import load_tabulator
from dashboards.session_query import in_session, query_date, query_int
from dashboards.shared.messages import OpenEvent
from dashboards.shell import AppShell
from thera_analytics.clock import Clock, system_clock
from thera_analytics.domain.actor import Actor
from thera_analytics.domain.local_time import to_local
from thera_analytics.reports import analyst_snapshot
from thera_analytics.store.database import Database

TABS = ("Week", "Completion", "Backlog", "Attendance", "Cancellations", "Changes")

APP_CSS = """
:host { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; }
"""
TABS_CSS = """
.bk-header .bk-tab { font: 600 14px system-ui, sans-serif; padding: 7px 18px; color: #57606a; }
.bk-header .bk-tab.bk-active { color: #1f2328; border-bottom: 3px solid #1d4f86; }
"""
STATUS_CSS = """
.thera-status { font: 12px system-ui, sans-serif; color: #57606a; text-align: right;
                white-space: nowrap; }
.thera-status b { color: #1f2328; font-weight: 600; }
"""


class PracticeApp(pn.viewable.Viewer):
    """Tabs of the practice's week and reports, a shared week picker, a record drawer."""

    context = param.ClassSelector(class_=PracticeContext)
    live = param.Boolean(default=True, doc=(
        "Served beside the live file: offer the analyst snapshot (False in a notebook)."))
    shell = param.Boolean(default=True, doc=(
        "Inside the served apps' frame (header, log out); False in a notebook."))

    def __init__(self, **params: object) -> None:
        super().__init__(**params)
        ctx = self.context
        self.picker = WeekPicker(context=ctx)
        self.week = PracticeWeek(context=ctx)
        # Served, the other tabs load when first opened. In a notebook every tab is drawn at
        # once: models Panel creates later, through the kernel, link their stylesheets from
        # its CDN, which a closed network cannot reach.
        lazy = self.shell
        self.completion = CompletionPanel(context=ctx, lazy=lazy)
        self.backlog = BacklogPanel(context=ctx, lazy=lazy)
        self.attendance = AttendancePanel(context=ctx, lazy=lazy)
        self.cancellations = CancellationsPanel(context=ctx, lazy=lazy)
        self.changes = ChangesPanel(context=ctx, lazy=lazy)
        self.record = RecordPanel(context=ctx, drawer=self.shell)
        for panel in (self.week, self.completion, self.backlog, self.cancellations,
                      self.changes):
            panel.param.watch(self._on_request, "request")
        self.record.param.watch(lambda _: setattr(self.week, "selected", None), "closed")
        self._panels = (self.week, self.completion, self.backlog, self.attendance,
                        self.cancellations, self.changes)
        # A lazy tab shows an empty slot until its data is read; then the panel goes in, so its
        # tables reach the browser with their rows. (Tabulator in the browser drops rows that
        # arrive while it is still building the table: a tab drawn empty and filled a moment
        # later could stay empty.)
        self._slots = [pn.Column(*([] if lazy and panel is not self.week else [panel]),
                                 sizing_mode="stretch_width", margin=0)
                       for panel in self._panels]
        self.tabs = pn.Tabs(
            *zip(TABS, self._slots, strict=True), dynamic=lazy, sizing_mode="stretch_width",
            margin=(5, 0), stylesheets=[TABS_CSS], css_classes=["thera-tabs"])
        self.tabs.param.watch(self._on_tab, "active")
        self._reload = pn.widgets.Button(label="↻ Reload", color="light", width=90,
                                         description="Measure again, now")
        self._reload.on_click(lambda _: ctx.reload())
        self._measured = pn.pane.HTML("", stylesheets=[STATUS_CSS], margin=(8, 5),
                                      css_classes=["thera-measured"])
        ctx.param.watch(lambda _: self._show_measured(), "as_of")
        self._show_measured()
        self._snapshot_status = pn.pane.HTML("", stylesheets=[STATUS_CSS], margin=(8, 5),
                                             css_classes=["thera-snapshot-status"])
        self._snapshot = pn.widgets.Button(
            label="Refresh analyst snapshot", color="light", width=200,
            description="Write a fresh copy of the database for notebooks and reports now")
        self._snapshot.on_click(self._on_snapshot)
        self._show_snapshot()

    # -- tabs and records ----------------------------------------------------------------------
    def _on_tab(self, event: param.parameterized.Event) -> None:
        panel, slot = self._panels[event.new], self._slots[event.new]
        activate = getattr(panel, "activate", None)
        if activate is not None:
            activate()
        if not slot.objects or slot.objects[0] is not panel:
            slot.objects = [panel]

    def show_tab(self, name: str) -> None:
        self.tabs.active = TABS.index(name)

    def _on_request(self, event: param.parameterized.Event) -> None:
        if isinstance(event.new, OpenEvent):
            self.open_event(event.new.event_id)

    def open_event(self, event_id: int) -> None:
        """Show an event's record in the drawer (and outline it on the week)."""
        if self.record.show(event_id):
            self.week.selected = event_id

    # -- freshness -------------------------------------------------------------------------------
    def _show_measured(self) -> None:
        ctx = self.context
        local = to_local(ctx.as_of, ctx.zone)
        self._measured.object = (
            f'<div class="thera-status">Figures as of <b data-as-of="{ctx.as_of.isoformat()}">'
            f"{escape(f'{local:%a %-d %b, %H:%M}')}</b></div>")

    def _show_snapshot(self, note: str = "") -> None:
        taken = analyst_snapshot.last_snapshot_time(self.context.db)
        if note:
            text = escape(note)
        elif taken is None:
            text = "Analyst snapshot: none yet"
        else:
            local = to_local(taken, self.context.zone)
            minutes = max((self.context.clock() - taken).total_seconds() / 60, 0)
            age = "just now" if minutes < 1 else f"{minutes:.0f} min ago"
            text = f"Analyst snapshot: <b>{escape(f'{local:%H:%M}')}</b> ({escape(age)})"
        self._snapshot_status.object = f'<div class="thera-status">{text}</div>'

    async def _on_snapshot(self, _: object) -> None:
        """Write the snapshot on a worker thread: the page stays responsive meanwhile."""
        self._snapshot.disabled = True
        self._show_snapshot("Writing the analyst snapshot…")
        try:
            loop = asyncio.get_running_loop()
            info = await loop.run_in_executor(None, analyst_snapshot.refresh_snapshot,
                                              self.context.db)
        except Exception as exc:  # shown, not raised: the page must keep working
            self._show_snapshot(f"Snapshot failed: {exc}")
        else:
            self._show_snapshot()
            self._snapshot_status.object = self._snapshot_status.object.replace(
                "</div>", f" · written in {info.seconds:.1f} s</div>")
        finally:
            self._snapshot.disabled = False

    def __panel__(self) -> pn.viewable.Viewable:
        bar = pn.Row(self.picker, pn.layout.HSpacer(), self._measured, self._reload,
                     sizing_mode="stretch_width", margin=0)
        footer = pn.Row(pn.layout.HSpacer(), self._snapshot_status, self._snapshot,
                        sizing_mode="stretch_width", margin=(10, 0),
                        styles={"border-top": "1px solid #d0d7de"},
                        css_classes=["thera-snapshot"], visible=self.live)
        body = pn.Column(
            bar,
            self.tabs,
            footer,
            self.record,
            LayoutBatching(),
            sizing_mode="stretch_width", margin=0, stylesheets=[APP_CSS, FIGURES_CSS],
            css_classes=["thera-practice"],
        )
        if not self.shell:
            return body
        return AppShell(body, actor=self.context.actor, title="Practice")


def create_app(db: Database, actor: Actor, clock: Clock = system_clock) -> PracticeApp:
    """Route factory: the practice dashboard for the signed-in manager.

    The address may name a week, a tab and an event: ``?week=2026-11-16&tab=Backlog&event=42``.
    """
    week = tab = event_id = None
    if in_session():  # the address readers shared with the scheduler
        load_tabulator()
        week, event_id = query_date("week"), query_int("event")
        values = pn.state.session_args.get("tab") or [b""]
        name = values[0].decode() if isinstance(values[0], bytes) else str(values[0])
        tab = name.capitalize() if name.capitalize() in TABS else None
    app = PracticeApp(context=PracticeContext(db=db, actor=actor, clock=clock, week=week))
    if tab is not None:
        app.show_tab(tab)
    if event_id is not None:
        app.open_event(event_id)
    return app
