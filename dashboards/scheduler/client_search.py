"""Finding a client for a session: the clinician's own clients first, a dozen matches at a
time, and a line saying how many more there are.

The list of every active client comes ordered from ``catalog.clients`` (those the clinician has
seen or booked first, then by name); the browser keeps that order while it filters, so the
clinician's own clients head every list of matches. The server hears each keystroke
(``value_input``) only to count the matches for the hint.
"""

from __future__ import annotations

from html import escape

import pandas as pd
import panel as pn
import param

MATCHES = 12  # matches listed at once (the stock choice list shows four)

HINT_CSS = """
.thera-search-hint { font: 12px system-ui, sans-serif; color: #57606a; }
"""


class _Autocomplete(pn.widgets.AutocompleteInput):
    """Panel's autocomplete with Bokeh's cap on the completions listed."""

    max_completions = param.Integer(default=MATCHES, bounds=(1, None))


def _labels(names: pd.Series, ids: pd.Series) -> dict[str, int]:
    """One text per client, in the given order; a repeated name gets its id."""
    counts = names.astype(str).value_counts()
    return {(str(n) if counts[str(n)] == 1 else f"{n} #{int(i)}"): int(i)
            for n, i in zip(names, ids, strict=True)}


def count_matches(labels: list[str], typed: str) -> int:
    """How many labels contain ``typed`` (ignoring case), as the browser filters them."""
    needle = typed.strip().lower()
    return sum(needle in label.lower() for label in labels) if needle else 0


def hint_text(typed: str, matches: int, limit: int = MATCHES) -> str:
    """What the line under the search box says for what was typed."""
    if not typed.strip():
        return "Your own clients are listed first."
    if matches == 0:
        return f"No active client matches “{typed.strip()}”."
    if matches > limit:
        return (f"Showing {limit} of {matches} matches, your own clients first: type more of "
                "the name to see the others.")
    return f"{matches} match{'es' if matches != 1 else ''}, your own clients first."


class ClientSearch(pn.viewable.Viewer):
    """A search box over every active client; choosing one sets ``chosen`` to its id."""

    chosen = param.Integer(default=None, allow_None=True, doc="The client last picked.")
    disabled = param.Boolean(default=False)

    def __init__(self, **params: object) -> None:
        super().__init__(**params)
        self._ids: dict[str, int] = {}
        self.input = _Autocomplete(
            label="Find a client", placeholder="Search every client by name", options=[],
            search_strategy="includes", case_sensitive=False, restrict=True,
            min_characters=1, max_completions=MATCHES, sizing_mode="stretch_width",
            css_classes=["thera-client-search"])
        self.hint = pn.pane.HTML("", stylesheets=[HINT_CSS], margin=(0, 10),
                                 sizing_mode="stretch_width",
                                 css_classes=["thera-client-search-hint"])
        self.input.param.watch(self._on_typed, "value_input")
        self.input.param.watch(self._on_value, "value")
        self._show_hint("")

    def load(self, clients: pd.DataFrame) -> None:
        """Every active client (``id``, ``name``), in the order matches are listed."""
        self._ids = _labels(clients["name"], clients["id"])
        self.input.options = list(self._ids)

    def matches(self, typed: str) -> list[int]:
        """The ids listed for ``typed``, in order (at most ``MATCHES``)."""
        needle = typed.strip().lower()
        found = [i for label, i in self._ids.items() if needle and needle in label.lower()]
        return found[:MATCHES]

    @param.depends("disabled", watch=True)
    def _on_disabled(self) -> None:
        self.input.disabled = self.disabled

    def _show_hint(self, typed: str) -> None:
        text = hint_text(typed, count_matches(list(self._ids), typed))
        self.hint.object = f'<div class="thera-search-hint" role="status">{escape(text)}</div>'

    def _on_typed(self, event: param.parameterized.Event) -> None:
        self._show_hint(event.new or "")

    def _on_value(self, event: param.parameterized.Event) -> None:
        client_id = self._ids.get(event.new or "")
        if client_id is None:
            return
        self.chosen = None  # picking the same client twice still tells the form
        self.chosen = client_id
        self.input.param.update(value="", value_input="")
        self._show_hint("")

    def __panel__(self) -> pn.viewable.Viewable:
        return pn.Column(self.input, self.hint, sizing_mode="stretch_width", margin=0)
