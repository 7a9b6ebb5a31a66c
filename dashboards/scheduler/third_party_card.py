"""The details step's card for adding a third party (a GP, a parent, a teacher) to one of the
session's clients, without leaving the event."""

from __future__ import annotations

import panel as pn
import param

from dashboards.shared.feedback import FieldErrors, split_refusal
from thera_analytics.domain.actor import Actor
from thera_analytics.domain.errors import PracticeError
from thera_analytics.practice import Practice
from thera_analytics.service import catalog

THIRD_PARTY_FIELDS = ("client", "name", "relationship", "email")


class ThirdPartyCard(pn.viewable.Viewer):
    """A toggle that opens the card; ``added`` is the id of the third party just added."""

    practice = param.ClassSelector(class_=Practice)
    actor = param.ClassSelector(class_=Actor)
    added = param.Integer(default=None, allow_None=True, doc="The third party just added.")

    def __init__(self, **params: object) -> None:
        super().__init__(**params)
        w = pn.widgets
        self.errors = FieldErrors(THIRD_PARTY_FIELDS)
        self.toggle = w.Toggle(label="+ Add a third party", color="light", width=170)
        self.client = w.Select(label="For client", options={}, sizing_mode="stretch_width")
        self.person_name = w.TextInput(label="Name", placeholder="e.g. Dr Priya Raman",
                                sizing_mode="stretch_width")
        self.relationship = w.TextInput(label="Relationship", placeholder="GP, parent, teacher…",
                                        sizing_mode="stretch_width")
        self.email = w.TextInput(label="Email (optional)", sizing_mode="stretch_width")
        self.add = w.Button(label="Add third party", color="primary")
        e = self.errors
        self._card = pn.Column(
            self.client, e["client"], self.person_name, e["name"], self.relationship,
            e["relationship"], self.email, e["email"], self.add, sizing_mode="stretch_width",
            styles={"border": "1px solid #d0d7de", "border-radius": "6px"}, margin=(0, 10))
        self.toggle.param.watch(self._on_toggle, "value")
        self.add.on_click(self._add)
        self._on_toggle()

    def __panel__(self) -> pn.viewable.Viewable:
        return pn.Column(pn.Row(self.toggle, margin=0), self._card,
                         sizing_mode="stretch_width", margin=0)

    def _on_toggle(self, *_: object) -> None:
        self._card.visible = bool(self.toggle.value)

    def for_clients(self, names: dict[int, str]) -> None:
        """The session's clients, the ones a new third party may be connected to."""
        self.client.options = {name: cid for cid, name in names.items()}

    def close(self) -> None:
        self.toggle.value = False

    def _add(self, _: object) -> None:
        self.errors.clear()
        if self.client.value is None:
            self.errors.show("client", "choose the client this person is connected to")
            return
        try:
            new_id = catalog.add_third_party(
                self.practice.db, int(self.client.value), self.person_name.value or "",
                self.relationship.value or "", self.practice.now(),
                email=(self.email.value or "").strip() or None, actor=self.actor)
        except PracticeError as exc:
            field, message = split_refusal(exc)
            if not self.errors.show(field, message):
                self.errors.show("name", message)
            return
        self.added = new_id
        self.person_name.value = self.relationship.value = self.email.value = ""
        self.close()
