"""An invisible component that installs a script on the page once, whatever number of them
the page holds (accessibility repairs, layout batching)."""

from __future__ import annotations

import json

import panel as pn

_RENDER = """
export function render({ view }) {
  const el = document.createElement("span");
  el.style.display = "none";
  if (!window[FLAG]) {
    window[FLAG] = true;
    if (install(view) === false) window[FLAG] = false;
  }
  return el;
}
"""


def page_script(flag: str, install: str) -> str:
    """The ESM of a ``PageScript``: ``install`` defines ``function install(view)``, run once
    per page (``window[flag]`` says it ran; returning false lets a later instance retry)."""
    return install + _RENDER.replace("FLAG", json.dumps(flag))


class PageScript(pn.custom.JSComponent):
    """Base of the invisible components that set up the page once; they take no space."""

    _esm = page_script("__theraPageScript", "function install(view) {}")

    def __init__(self, **params: object) -> None:
        params.setdefault("width", 0)
        params.setdefault("height", 0)
        params.setdefault("margin", 0)
        super().__init__(**params)
