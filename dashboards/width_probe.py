"""The width the browser gives a part of the page, reported to the server.

Plots whose text is fitted to pixels on the server (the practice week) need the width they
will be drawn at; a ``ResizeObserver`` reports it, and again whenever the window is resized.
No import, so nothing is fetched from anywhere.
"""

from __future__ import annotations

import param
from panel.custom import JSComponent


class WidthProbe(JSComponent):
    """An invisible strip as wide as its container; ``width_px`` follows the browser."""

    width_px = param.Integer(default=0, doc="The strip's width in CSS pixels (0: not yet known).")

    _esm = """
export function render({ model, el }) {
  const report = () => {
    const width = Math.round(el.getBoundingClientRect().width);
    if (width > 0 && width !== model.width_px) model.width_px = width;
  };
  new ResizeObserver(report).observe(el);
  report();
}
"""

    def __init__(self, **params: object) -> None:
        params.setdefault("sizing_mode", "stretch_width")
        params.setdefault("height", 1)
        params.setdefault("margin", 0)
        super().__init__(**params)
