"""The details step's repeat and series part: how a new event repeats, and for a saved event
of a series, whether a time change applies to it alone or to the ones after it too."""

from __future__ import annotations

import panel as pn
import param

from dashboards.scheduler.form_parts import field_row, section
from dashboards.shared.feedback import FieldErrors
from thera_analytics.domain.errors import ValidationError
from thera_analytics.domain.recurrence import Recurrence

REPEAT_OPTIONS = {"Does not repeat": 0, "Weekly": 1, "Fortnightly": 2}
ENDS_OPTIONS = {"After a number of sessions": "count", "On a date": "until"}
SCOPE_OPTIONS = {"This session only": "this", "This and all following": "following"}


class RepeatForm(pn.viewable.Viewer):
    """Repeat (new events only) and series scope (saved events of a series only)."""

    is_new = param.Boolean(default=True)
    in_series = param.Boolean(default=False)

    def __init__(self, errors: FieldErrors, **params: object) -> None:
        super().__init__(**params)
        w = pn.widgets
        self.repeat = w.Select(label="Repeat", options=REPEAT_OPTIONS, value=0, width=150)
        self.ends = w.RadioButtonGroup(label="Ends", options=ENDS_OPTIONS, value="count",
                                       color="default", margin=(5, 10))
        self.count = w.IntInput(label="Sessions", value=6, start=1, end=260, width=90)
        self.until = w.DatePicker(label="Until", width=140)
        self.scope = w.RadioButtonGroup(label="Apply a time change to", options=SCOPE_OPTIONS,
                                        value="this", color="default")
        self.repeat_part = pn.Column(
            section("Repeat"), field_row(self.repeat, self.ends),
            field_row(self.count, self.until),
            errors["repeat"], errors["count"], errors["until"],
            sizing_mode="stretch_width", margin=0)
        self.scope_part = pn.Column(section("Series"), self.scope,
                                    sizing_mode="stretch_width", margin=0)
        self.repeat.param.watch(self._on_repeat, "value")
        self.ends.param.watch(self._on_repeat, "value")
        self._on_repeat()
        self._on_mode()

    def __panel__(self) -> pn.viewable.Viewable:
        return pn.Column(self.repeat_part, self.scope_part, sizing_mode="stretch_width",
                         margin=0)

    def widgets(self) -> list[pn.widgets.Widget]:
        return [self.repeat, self.ends, self.count, self.until, self.scope]

    def _on_repeat(self, *_: object) -> None:
        repeating = bool(self.repeat.value)
        self.ends.visible = repeating
        self.count.visible = repeating and self.ends.value == "count"
        self.until.visible = repeating and self.ends.value == "until"

    @param.depends("is_new", "in_series", watch=True)
    def _on_mode(self) -> None:
        self.repeat_part.visible = self.is_new
        self.scope_part.visible = (not self.is_new) and self.in_series

    def reset(self, until: object) -> None:
        """A new event: no repeat; six sessions or ``until`` if the user chooses to repeat."""
        self.repeat.value = 0
        self.ends.value = "count"
        self.count.value = 6
        self.until.value = until
        self.scope.value = "this"

    def recurrence(self) -> Recurrence | None:
        """How the new event repeats (None: once, or a saved event)."""
        if not self.is_new or not self.repeat.value:
            return None
        if self.ends.value == "count":
            return Recurrence(int(self.repeat.value), count=int(self.count.value or 0))
        if self.until.value is None:
            raise ValidationError("until", "choose the date of the last session")
        return Recurrence(int(self.repeat.value), until=self.until.value)
