"""FullCalendar's week as a Panel component, served from a bundle built on this machine.

``scripts/setup.sh`` runs ``panel compile`` on this module: it installs the pinned FullCalendar
packages from the npm registry and writes ``WeekGrid.bundle.js`` beside it, which the server then
serves itself. The import map below only names the packages and versions for that build; the
browser never fetches from it (a missing bundle is refused here, not fetched from a CDN).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import panel as pn
import param

from thera_analytics.domain import palette

FULLCALENDAR = "6.1.21"  # the last v6 release; timegrid and list stop there
BUNDLE = Path(__file__).with_name("WeekGrid.bundle.js")

GRID_CSS = f"""
:host {{ display: block; font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial,
        sans-serif; font-size: 13px; color: {palette.TEXT}; }}
.thera-week-grid {{ --fc-border-color: {palette.GRID}; --fc-today-bg-color: {palette.TODAY};
                    --fc-event-border-color: transparent; }}
.fc .fc-timegrid-slot {{ height: 19px; line-height: 19px; }}
.fc .fc-timegrid-slot-minor {{ border-top-style: none; }}
.fc .fc-col-header-cell-cushion, .fc .fc-timegrid-slot-label-cushion {{ color: {palette.TEXT}; }}
.fc .fc-col-header-cell-cushion {{ font-weight: 700; }}
.fc a.fc-event, .fc .thera-ev {{ color: {palette.TEXT}; }}
.fc .fc-timegrid-event {{ border-left-width: 4px; border-radius: 4px; }}
.fc .fc-event:focus-visible, .fc [data-event-id]:focus-visible {{
    outline: 3px solid #0b3d91; outline-offset: 1px; z-index: 10; }}
.fc .fc-event.thera-selected {{ outline: 3px solid {palette.TEXT}; outline-offset: 0; }}
.fc .thera-draft {{ outline: 3px dashed {palette.TEXT}; outline-offset: -3px; opacity: 1; }}
.thera-ev {{ padding: 1px 3px; line-height: 1.2; font-size: 12px; overflow: hidden; height: 100%;
             box-sizing: border-box; }}
.fc-timegrid-event-short .thera-ev {{ display: flex; flex-wrap: wrap; column-gap: 5px; }}
.thera-ev-head {{ display: flex; flex-wrap: wrap; gap: 0 4px; align-items: flex-start;
                  justify-content: space-between; }}
.thera-ev-kind {{ font-weight: 700; overflow-wrap: break-word; min-width: 0; }}
.thera-ev-who {{ overflow-wrap: break-word; white-space: normal; }}
.thera-ev-foot {{ display: flex; gap: 4px; justify-content: space-between; flex-wrap: wrap; }}
.thera-ev-dots, .thera-ev-marks {{ display: inline-flex; gap: 2px; flex: none; }}
.thera-dot {{ width: 13px; height: 13px; border-radius: 50%; font-size: 9px; line-height: 11px;
              text-align: center; box-sizing: border-box; font-weight: 700; }}
.thera-dot.done {{ background: {palette.DOT_GREEN}; color: #ffffff;
                   border: 1px solid #ffffff; }}
.thera-dot.todo {{ background: #ffffff; color: {palette.TEXT};
                   border: 1.5px solid {palette.DOT_GREY}; }}
.thera-mark {{ min-width: 13px; height: 13px; font-size: 9px; line-height: 13px;
               text-align: center; font-weight: 700; color: {palette.TEXT}; border-radius: 2px;
               padding: 0 1px; box-shadow: 0 0 0 1px #ffffff; }}
.fc-list .thera-ev {{ display: flex; flex-wrap: wrap; gap: 2px 10px; align-items: baseline; }}
.fc-list .thera-ev:focus-visible {{ outline: 3px solid #0b3d91; outline-offset: 2px; }}
.fc-list .fc-list-event {{ cursor: pointer; }}
.fc .fc-list-day-cushion {{ background: #f6f8fa; }}
.fc .fc-list-event-dot {{ border-width: 6px; }}
.thera-sr-only {{ position: absolute; width: 1px; height: 1px; overflow: hidden;
                  clip: rect(0 0 0 0); white-space: nowrap; }}
"""


class WeekGrid(pn.custom.JSComponent):
    """One week of events drawn by FullCalendar; clicks, drags and keys come back as messages.

    ``events`` are the dicts of ``week_feed``; ``week`` is the Monday shown and ``now`` the
    practice's wall-clock time (for the today column), both ISO strings.
    """

    events = param.List(default=[], doc="The events drawn (week_feed dicts).")
    week = param.String(default="", doc="The Monday shown, YYYY-MM-DD.")
    now = param.String(default="", doc="The practice's wall-clock now, for the today column.")
    weekends = param.Boolean(default=False, doc="Show Saturday and Sunday.")
    first_hour = param.Integer(default=8, bounds=(0, 23))
    last_hour = param.Integer(default=18, bounds=(1, 24))
    editable = param.Boolean(default=False, doc="Events may be dragged and resized.")
    selected = param.String(default="", doc=(
        "The id of the event open in the editor (outlined), or empty. Apart from ``events``: "
        "opening an event outlines it without sending and redrawing the whole week."))
    view = param.Selector(default="auto", objects=["auto", "week", "agenda"],
                          doc="auto: the week, or the agenda on a narrow screen.")

    _esm = "week_grid.js"
    _importmap = {"imports": {
        "@fullcalendar/core": f"https://esm.sh/@fullcalendar/core@{FULLCALENDAR}",
        "@fullcalendar/timegrid": f"https://esm.sh/@fullcalendar/timegrid@{FULLCALENDAR}",
        "@fullcalendar/list": f"https://esm.sh/@fullcalendar/list@{FULLCALENDAR}",
        "@fullcalendar/interaction": f"https://esm.sh/@fullcalendar/interaction@{FULLCALENDAR}",
    }}
    _stylesheets = [GRID_CSS]

    def __init__(self, **params: Any) -> None:
        if type(self)._bundle_path is None:
            raise RuntimeError(
                f"{BUNDLE.name} is missing: run scripts/setup.sh to build the calendar's bundle "
                "(the app never loads it from a CDN)")
        super().__init__(**params)
        self._listeners: list[Callable[[dict[str, Any]], None]] = []

    def on_message(self, callback: Callable[[dict[str, Any]], None]) -> None:
        """Call ``callback`` with each message from the browser (open, book, move, escape)."""
        self._listeners.append(callback)

    def send(self, message: dict[str, Any]) -> None:
        """A message to the browser (moved, focus, focus-editor)."""
        self._send_msg(message)

    def _handle_msg(self, msg: Any) -> None:
        if isinstance(msg, dict):
            for callback in self._listeners:
                callback(msg)
