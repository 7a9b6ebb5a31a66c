"""Repairs to what Bokeh's and Choices.js's widgets draw, so that every page passes axe.

What the widgets get wrong, found with axe-core: the date picker draws a second, visible input
with no name (its label belongs to the hidden one); Choices.js marks each chosen item
``aria-selected`` without the role that allows it, names an active option it has not drawn, and
gives its search box ``aria-label="null"``; a hidden tab stays focusable under ``aria-hidden``;
a served page has no ``main`` landmark; a date popup stays open when focus leaves it; and
Tabulator draws a read-only report as a grid that owns its scroller and paginator, with every
cell a tab stop and headers sorted by mouse only.
This invisible component repairs them on the page it is on, after every change the server sends
and whenever focus moves, and exposes ``window.theraRepair`` so a test can run it before a check.
"""

from __future__ import annotations

from dashboards.shared.page_script import PageScript, page_script

_INSTALL = """
function repair(root) {
  for (const el of root.querySelectorAll("*")) {
    if (el.shadowRoot) { watchFocus(el.shadowRoot); repair(el.shadowRoot); }
    if (el._flatpickr) pickers.add(el);
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
    } else if (el.matches(".tabulator")) {
      repairTable(el);
    }
  }
}

// Tabulator draws a report as an interactive grid whose every cell is a tab stop, whose
// scroller and paginator the grid may not own, and whose headers sort by mouse only. Our
// tables are read-only: make it a table (read with a screen reader's table commands), with
// the scroller as its body row group, the paginator as a footer row, headers that sort from
// the keyboard, and one tab stop for the scroller only when it has something to scroll.
function repairTable(table) {
  if (!table.dataset.theraTable) {
    table.dataset.theraTable = "1";
    // Rows drawn again, and cells Tabulator makes tab stops after drawing them (its edit
    // module sets tabindex on a cell it initialises late), are both repaired.
    new MutationObserver(() => repairTable(table)).observe(table, {
      childList: true, subtree: true, attributes: true, attributeFilter: ["tabindex"]});
  }
  const set = (el, name, value) => {
    if (el && el.getAttribute(name) !== value) el.setAttribute(name, value);
  };
  set(table, "role", "table");
  table.removeAttribute("aria-owns");
  const holder = table.querySelector(":scope > .tabulator-tableholder");
  if (holder) {
    set(holder, "role", "rowgroup");
    set(holder.querySelector(":scope > .tabulator-table"), "role", "none");
    const scrolls = holder.scrollWidth > holder.clientWidth + 1
      || holder.scrollHeight > holder.clientHeight + 1;
    if (scrolls) {
      set(holder, "tabindex", "0");
      set(holder, "aria-label", "Table rows (scrolls)");
    } else {
      holder.removeAttribute("tabindex");
      holder.removeAttribute("aria-label");
    }
  }
  for (const cell of table.querySelectorAll(".tabulator-cell")) {
    set(cell, "role", "cell");
    cell.removeAttribute("tabindex");
  }
  for (const head of table.querySelectorAll(".tabulator-col.tabulator-sortable")) {
    if (head.style.display === "none" || head.dataset.theraSort) continue;
    head.dataset.theraSort = "1";
    head.tabIndex = 0;
    head.addEventListener("keydown", (event) => {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        head.click();
      }
    });
  }
  const footer = table.querySelector(":scope > .tabulator-footer");
  if (footer) {
    set(footer, "role", "rowgroup");
    set(footer.querySelector(".tabulator-footer-contents"), "role", "row");
    const pages = footer.querySelector(".tabulator-paginator");
    set(pages, "role", "cell");
  }
  // A table with no data draws a header row with no visible column: not a row then.
  const empty = !table.querySelector(".tabulator-col:not([style*='display: none'])");
  set(table.querySelector(".tabulator-headers"), "role", empty ? "none" : "row");
}

// A date popup (flatpickr) stays open when focus moves on by keyboard, covering the week:
// close every open popup that neither holds the focus nor belongs to the focused input. Focus
// moving inside one shadow root is not told to the document, so each shadow root is listened to.
const pickers = new Set();

function closeLeftPopups(event) {
  if (event.theraSeen) return;
  event.theraSeen = true;
  let focused = document.activeElement;
  while (focused && focused.shadowRoot && focused.shadowRoot.activeElement) {
    focused = focused.shadowRoot.activeElement;
  }
  for (const input of pickers) {
    const picker = input._flatpickr;
    if (!input.isConnected || !picker) { pickers.delete(input); continue; }
    if (!picker.isOpen || !focused) continue;
    const inside = focused === input || focused === picker.altInput
      || (picker.calendarContainer && picker.calendarContainer.contains(focused));
    if (!inside) picker.close();
  }
}

function watchFocus(root) {
  if (root.theraFocus) return;
  root.theraFocus = true;
  root.addEventListener("focusin", closeLeftPopups, true);
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
  watchFocus(document);
  window.addEventListener("resize", soon);
  soon();
}
"""


class AccessibilityRepairs(PageScript):
    """An invisible component that repairs the page's widgets for assistive technology."""

    _esm = page_script("__theraAccessibilityRepairs", _INSTALL)
