"""Repairs to what Bokeh's and Choices.js's widgets draw, so that every page passes axe.

What the widgets get wrong, found with axe-core: the date picker draws a second, visible input
with no name (its label belongs to the hidden one); Choices.js marks each chosen item
``aria-selected`` without the role that allows it, names an active option it has not drawn, and
gives its search box ``aria-label="null"``; a hidden tab stays focusable under ``aria-hidden``;
and a served page has no ``main`` landmark.
This invisible component repairs them on the page it is on, after every change the server sends
and whenever focus moves, and exposes ``window.theraRepair`` so a test can run it before a check.
"""

from __future__ import annotations

from dashboards.shared.page_script import PageScript, page_script

_INSTALL = """
function repair(root) {
  for (const el of root.querySelectorAll("*")) {
    if (el.shadowRoot) repair(el.shadowRoot);
    // A hidden tab's panel is aria-hidden yet its controls stay focusable: make it inert while
    // hidden (and only then).
    const column = el.classList && el.classList.contains("bk-panel-models-layout-Column");
    if (column && el.getAttribute("aria-hidden") === "true") {
      if (!el.inert) { el.inert = true; el.dataset.theraInert = "1"; }
    } else if (el.dataset && el.dataset.theraInert) {
      el.inert = false;
      delete el.dataset.theraInert;
    }
    if (el.matches("input.form-control") && !el.getAttribute("aria-label")) {
      const label = el.closest(".bk-input-group")?.querySelector("label");
      const text = label ? label.textContent.trim() : "";
      if (text) el.setAttribute("aria-label", text);
    } else if (el.matches(".choices__item[aria-selected]:not([role])")) {
      el.removeAttribute("aria-selected");
    } else if (el.matches("input[aria-label='null']")) {
      const label = el.closest(".bk-input-group")?.querySelector("label");
      const text = label ? label.textContent.trim() : "";
      el.setAttribute("aria-label", text || "Search");
    } else if (el.hasAttribute("aria-activedescendant")) {
      // Choices.js names an option it has not drawn yet (or has removed).
      const id = el.getAttribute("aria-activedescendant");
      const found = id && el.getRootNode().getElementById?.(id);
      if (!found) el.removeAttribute("aria-activedescendant");
    } else if (el.matches(".thera-main") && el.getAttribute("role") !== "main") {
      el.setAttribute("role", "main");
    }
  }
}

function install(view) {
  let pending = false;
  const soon = () => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => { pending = false; repair(document); });
  };
  window.theraRepair = () => repair(document);
  for (const doc of window.Bokeh?.documents ?? []) doc.on_change(soon);
  document.addEventListener("focusin", soon, true);
  soon();
}
"""


class AccessibilityRepairs(PageScript):
    """An invisible component that repairs the page's widgets for assistive technology."""

    _esm = page_script("__theraAccessibilityRepairs", _INSTALL)
