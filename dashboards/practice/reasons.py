"""The reasons list the manager keeps: what clinicians can choose when a session is cancelled.

A reason is added (with "needs a few words" for the likes of "Other") or retired; a retired
reason is no longer offered but stays on the cancellations that carry it.
"""

from __future__ import annotations

import pandas as pd
import panel as pn
import param

from dashboards.practice.context import PracticeContext
from dashboards.practice.tables import report_table, section
from dashboards.shared.feedback import DANGER_CSS, FEEDBACK_CSS, notice_html, split_refusal
from thera_analytics.domain.errors import PracticeError
from thera_analytics.practice import Practice


class ReasonsList(pn.viewable.Viewer):
    """The reasons, in use and retired, with add and retire."""

    context = param.ClassSelector(class_=PracticeContext)
    changed = param.Integer(default=0, doc="Bumped after each change of the list.")

    def __init__(self, **params: object) -> None:
        super().__init__(**params)
        w = pn.widgets
        self._table = report_table(pd.DataFrame(), name="reasons", sizing_mode="fixed",
                                   width=520)
        self.label = w.TextInput(label="New reason", placeholder="e.g. Car broke down",
                                 width=260)
        self.needs_text = w.CheckBoxGroup(options={"Asks for a few words": "text"}, value=[],
                                          inline=True, margin=(28, 10, 5, 10))
        self.add = w.Button(label="Add reason", color="primary", width=120,
                            margin=(24, 10, 5, 10))
        self.retired = w.Select(label="Reason to retire", options={}, width=260)
        self.retire = w.Button(label="Retire reason", color="danger", width=130,
                               margin=(24, 10, 5, 10), stylesheets=[DANGER_CSS])
        self.message = pn.pane.HTML("", stylesheets=[FEEDBACK_CSS], margin=(4, 5),
                                    sizing_mode="stretch_width", visible=False,
                                    css_classes=["thera-reasons-message"])
        self.add.on_click(lambda _: self._add())
        self.retire.on_click(lambda _: self._retire())

    @property
    def practice(self) -> Practice:
        return Practice(self.context.db, self.context.clock)

    def load(self) -> None:
        reasons = self.practice.cancellation_reasons()
        zone = self.context.zone
        shown = pd.DataFrame({
            "Reason": reasons["label"],
            "Asks for words": reasons["needs_text"].map({True: "yes", False: "no"}),
            "Offered": ["yes" if pd.isna(r) else
                        f"retired {pd.Timestamp(r).tz_convert(zone):%Y-%m-%d}"
                        for r in reasons["retired_at"]],
        })
        self._table.value = shown
        active = reasons[reasons["retired_at"].isna()]
        options = dict(zip(active["label"], active["code"], strict=True))
        self.retired.options = options
        if self.retired.value not in options.values():
            self.retired.value = next(iter(options.values()), None)

    def _say(self, kind: str, text: str) -> None:
        self.message.object = notice_html(kind, text)
        self.message.visible = True

    def _add(self) -> None:
        try:
            self.practice.add_cancellation_reason(
                self.context.actor, self.label.value or "",
                needs_text="text" in (self.needs_text.value or []))
        except PracticeError as exc:
            message = split_refusal(exc)[1]
            self._say("error", message[:1].upper() + message[1:])
            return
        self._say("success", f"Added “{self.label.value.strip()}”.")
        self.label.value = ""
        self.needs_text.value = []
        self.load()
        self.changed += 1

    def _retire(self) -> None:
        code = self.retired.value
        if code is None:
            return
        label = next((k for k, v in self.retired.options.items() if v == code), code)
        try:
            self.practice.retire_cancellation_reason(self.context.actor, code)
        except PracticeError as exc:
            self._say("error", split_refusal(exc)[1])
            return
        self._say("success", f"Retired “{label}”: no longer offered; past cancellations keep "
                             "it.")
        self.load()
        self.changed += 1

    def __panel__(self) -> pn.viewable.Viewable:
        note = ("What clinicians choose from when a session is cancelled. A retired reason is "
                "no longer offered; cancellations that carry it keep it.")
        return section(
            "Cancellation reasons", self._table,
            pn.Row(self.label, self.needs_text, self.add, margin=0),
            pn.Row(self.retired, self.retire, margin=0), self.message, note=note)
