"""Batch Bokeh's page layout: many changes from one server message cost one layout pass.

Bokeh re-lays out the whole page (and repaints every plot in it) synchronously for each change
that can affect layout, such as a widget appearing or an HTML pane's text changing. Opening an
event changes a few dozen such properties in one message, so the week plot beside the editor was
laid out and repainted a dozen or more times per click: about half the click-to-editor time
(measured ~1.1 s -> ~0.4 s for the first event opened, in headless Chromium).

This component defers a root's layout to a microtask and merges repeated requests. Microtasks run
before the browser paints, so nothing is drawn half laid out. It patches only the root case of
``LayoutDOMView.invalidate_layout`` (children still hand the request to their parent, exactly as
Bokeh does), installs itself once per page, and stays out of the way if Bokeh's internals differ
from what it expects: then the page simply lays out as before.
"""

from __future__ import annotations

import panel as pn

_ESM = """
export function render({ view }) {
  const el = document.createElement("span");
  el.style.display = "none";
  if (window.__theraLayoutBatching) return el;
  let proto = Object.getPrototypeOf(view);
  while (proto && !(proto.constructor && proto.constructor.__name__ === "LayoutDOMView"))
    proto = Object.getPrototypeOf(proto);
  if (!proto || typeof proto.invalidate_layout !== "function") return el;
  const LayoutDOMView = proto.constructor;
  const original = proto.invalidate_layout;
  const pending = new Set();
  proto.invalidate_layout = function () {
    if (this.parent instanceof LayoutDOMView) {
      this.parent.invalidate_layout();
      return;
    }
    if (pending.has(this)) return;
    pending.add(this);
    queueMicrotask(() => {
      pending.delete(this);
      try {
        original.call(this);
      } catch (err) {
        console.warn("thera: deferred layout skipped", err);  // e.g. the view was removed
      }
    });
  };
  window.__theraLayoutBatching = true;
  return el;
}
"""


class LayoutBatching(pn.custom.JSComponent):
    """An invisible component that turns on layout batching for the page it is on."""

    _esm = _ESM

    def __init__(self, **params: object) -> None:
        params.setdefault("width", 0)
        params.setdefault("height", 0)
        params.setdefault("margin", 0)
        super().__init__(**params)
