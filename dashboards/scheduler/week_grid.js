// The clinician's week in the browser: FullCalendar (MIT core, bundled locally by set-up).
// Python owns the data; this file draws it, and reports clicks, drags and keys back.
import { Calendar } from "@fullcalendar/core";
import timeGridPlugin from "@fullcalendar/timegrid";
import listPlugin from "@fullcalendar/list";
import interactionPlugin from "@fullcalendar/interaction";

const NARROW = "(max-width: 700px)";
const DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
  "September", "October", "November", "December"];

function dayName(arg) {
  // "Mon 23 Nov" above a column, "Monday 23 November" in the agenda (times are floating UTC).
  const d = arg.date;
  const day = DAYS[d.getUTCDay()], month = MONTHS[d.getUTCMonth()];
  return arg.view.type.startsWith("list") ? `${day} ${d.getUTCDate()} ${month}`
    : `${day.slice(0, 3)} ${d.getUTCDate()} ${month.slice(0, 3)}`;
}

function deepQuery(root, selector) {
  // Panel draws every pane in its own shadow root: search through them all.
  const found = root.querySelector(selector);
  if (found) return found;
  for (const el of root.querySelectorAll("*")) {
    if (el.shadowRoot) {
      const inner = deepQuery(el.shadowRoot, selector);
      if (inner) return inner;
    }
  }
  return null;
}

function node(tag, cls, text) {
  const el = document.createElement(tag);
  if (cls) el.className = cls;
  if (text !== undefined) el.textContent = text;  // text, never markup: names come from users
  return el;
}

function content(arg) {
  const p = arg.event.extendedProps;
  if (arg.event.display === "background") return { domNodes: [] };
  const box = node("div", "thera-ev");
  const head = node("div", "thera-ev-head");
  head.append(node("span", "thera-ev-kind", p.kind));
  if (p.client) {
    const dots = node("span", "thera-ev-dots");
    dots.setAttribute("aria-hidden", "true");
    p.dots.forEach((d, i) => {
      // Filled and numbered when done, hollow when to do: the shape says it, not only colour.
      const dot = node("span", "thera-dot " + (d.done ? "done" : "todo"), d.done ? "✓" : String(i + 1));
      dot.title = `${d.name}: ${d.done ? "done" : "to do"}`;
      dots.append(dot);
    });
    head.append(dots);
  }
  box.append(head);
  if (p.who) box.append(node("div", "thera-ev-who", p.who));
  const foot = node("div", "thera-ev-foot");
  foot.append(node("span", "thera-ev-time", p.time));
  if (p.marks && p.marks.length) {
    const marks = node("span", "thera-ev-marks");
    marks.setAttribute("aria-hidden", "true");
    for (const m of p.marks) {
      const mark = node("span", "thera-mark", m.letter);
      mark.style.background = m.colour;
      mark.title = m.text;
      marks.append(mark);
    }
    foot.append(marks);
  }
  box.append(foot);
  if (arg.view.type.startsWith("list")) {
    // The list view's own link is dropped with custom content: this is the focusable element.
    box.setAttribute("tabindex", "0");
    box.setAttribute("role", "button");
    box.dataset.eventId = arg.event.id;
    // Named by its full description (a hidden span), so that what is read is what is meant;
    // the visible parts say the same in short and are hidden from the screen reader.
    for (const child of box.children) child.setAttribute("aria-hidden", "true");
    box.append(node("span", "thera-sr-only", p.label));
  }
  return { domNodes: [box] };
}

function name(el, event) {
  el.setAttribute("aria-label", event.extendedProps.label);
  el.title = event.extendedProps.label;
}

export function render({ model, el }) {
  const root = document.createElement("div");
  root.className = "thera-week-grid";
  const status = document.createElement("div");
  status.className = "thera-sr-only";
  status.setAttribute("role", "status");
  status.setAttribute("aria-live", "polite");
  el.append(root, status);
  const pending = new Map();  // drag request id -> revert()
  let calendar = null;
  let requests = 0;
  const narrow = window.matchMedia(NARROW);

  const viewName = () => {
    const want = model.view === "auto" ? (narrow.matches ? "agenda" : "week") : model.view;
    return want === "agenda" ? "listWeek" : "timeGridWeek";
  };

  const focusables = () => Array.from(root.querySelectorAll("[data-event-id]"));

  const focusEvent = (id) => {
    const target = root.querySelector(`[data-event-id="${id}"]`);
    if (target) target.focus();
    return target !== null;
  };

  // The event open in the editor is outlined: in the week its block, in the agenda its row.
  const outline = () => {
    for (const el of root.querySelectorAll(".fc-event.thera-selected")) {
      el.classList.remove("thera-selected");
    }
    if (!model.selected) return;
    for (const el of root.querySelectorAll(`[data-event-id="${model.selected}"]`)) {
      (el.closest(".fc-event") || el).classList.add("thera-selected");
    }
  };

  const propose = (info, kind) => {
    const req = `${kind}-${++requests}`;
    pending.set(req, info.revert);
    model.send_msg({
      type: "move", req, id: info.event.id,
      version: info.event.extendedProps.version,
      start: info.event.startStr, end: info.event.endStr,
    });
  };

  const build = () => {
    if (calendar) calendar.destroy();  // drawn again (e.g. re-attached): one calendar only
    calendar = new Calendar(root, {
      plugins: [timeGridPlugin, listPlugin, interactionPlugin],
      initialView: viewName(),
      initialDate: model.week,
      timeZone: "UTC",  // floating: the times are the practice's wall-clock times
      now: model.now,
      headerToolbar: false,
      firstDay: 1,
      weekends: model.weekends,
      allDaySlot: false,
      slotMinTime: `${String(model.first_hour).padStart(2, "0")}:00:00`,
      slotMaxTime: `${String(model.last_hour).padStart(2, "0")}:00:00`,
      slotDuration: "00:15:00",
      slotLabelInterval: "01:00",
      snapDuration: "00:15:00",
      height: "auto",
      expandRows: false,
      stickyHeaderDates: false,  // the page scrolls, not the calendar: no floating headers
      eventShortHeight: 45,  // shorter events put kind, names and time on running lines
      slotEventOverlap: false,  // overlapping events side by side in lanes, never on top
      eventInteractive: true,
      editable: model.editable,
      eventDurationEditable: model.editable,
      eventStartEditable: model.editable,
      dayHeaderContent: dayName,
      slotLabelFormat: { hour: "2-digit", minute: "2-digit", hour12: false },
      eventTimeFormat: { hour: "2-digit", minute: "2-digit", hour12: false },
      listDayFormat: { weekday: "long" },
      listDaySideFormat: false,
      noEventsContent: "No events this week",
      nowIndicator: false,
      events: model.events,
      eventContent: content,
      // Asked whenever FullCalendar draws an event; an event drawn already is outlined by
      // outline() below, so opening another one redraws nothing.
      eventClassNames: (arg) => (arg.event.id === model.selected ? ["thera-selected"] : []),
      eventDidMount: (info) => {
        if (info.event.display === "background") return;
        if (!info.view.type.startsWith("list")) info.el.dataset.eventId = info.event.id;
        name(info.el, info.event);
        info.el.querySelectorAll(".fc-icon").forEach((i) => i.setAttribute("aria-hidden", "true"));
      },
      // An element kept across an update is not mounted again: name it afresh each time.
      eventsSet: () => requestAnimationFrame(() => {
        for (const el of root.querySelectorAll(".fc-timegrid-event[data-event-id]")) {
          const event = calendar.getEventById(el.dataset.eventId);
          if (event) name(el, event);
        }
      }),
      eventClick: (info) => {
        info.jsEvent.preventDefault();
        if (info.event.display !== "background") model.send_msg({ type: "open", id: info.event.id });
      },
      dateClick: (info) => model.send_msg({ type: "book", start: info.dateStr }),
      eventDrop: (info) => propose(info, "move"),
      eventResize: (info) => propose(info, "resize"),
    });
    calendar.render();
  };

  // Arrow keys move between events (up and down within a day, left and right to the nearest
  // event of the next day); Tab leaves the grid as usual.
  root.addEventListener("keydown", (e) => {
    const current = e.target.closest && e.target.closest("[data-event-id]");
    if (!current) return;
    if (e.key === "Enter" && current.getAttribute("role") === "button") {
      model.send_msg({ type: "open", id: current.dataset.eventId });
      e.preventDefault();
      return;
    }
    if (!["ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight"].includes(e.key)) return;
    const all = focusables();
    const box = (x) => x.getBoundingClientRect();
    const here = box(current);
    let next = null;
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      const i = all.indexOf(current);
      next = all[i + (e.key === "ArrowDown" ? 1 : -1)] || null;
    } else {
      const right = e.key === "ArrowRight";
      const cols = all.filter((x) => (right ? box(x).left > here.right - 1 : box(x).right < here.left + 1));
      cols.sort((a, b) => (right ? box(a).left - box(b).left : box(b).left - box(a).left));
      if (cols.length) {
        const edge = box(cols[0]).left;
        const column = cols.filter((x) => Math.abs(box(x).left - edge) < box(cols[0]).width);
        column.sort((a, b) => Math.abs(box(a).top - here.top) - Math.abs(box(b).top - here.top));
        next = column[0];
      }
    }
    if (next) {
      next.focus();
      e.preventDefault();
    }
  });

  // Escape anywhere closes the editor and brings focus back to the event it showed; an open
  // list (client picker, select) closes first and keeps the editor open.
  const onEscape = (e) => {
    if (e.key !== "Escape") return;
    const path = e.composedPath();
    if (path.some((x) => x.classList && (x.classList.contains("is-open") ||
        x.classList.contains("flatpickr-calendar")))) return;
    if (path.some((x) => x.tagName === "SELECT")) return;
    model.send_msg({ type: "escape" });
  };
  window.addEventListener("keydown", onEscape, true);

  model.on("msg:custom", (msg) => {
    if (msg.type === "moved") {
      const revert = pending.get(msg.req);
      pending.delete(msg.req);
      if (!msg.ok && revert) revert();
      if (msg.message) status.textContent = msg.message;
    } else if (msg.type === "focus") {
      if (!focusEvent(msg.id)) {
        const first = focusables()[0];
        if (first) first.focus();
      }
    } else if (msg.type === "focus-editor") {
      const head = deepQuery(document, msg.selector);
      if (head) head.focus();
    }
  });
  model.on("events", () => { if (calendar) calendar.setOption("events", model.events); });
  model.on("selected", outline);
  model.on("week", () => { if (calendar) calendar.gotoDate(model.week); });
  model.on("now", () => { if (calendar) calendar.setOption("now", model.now); });
  model.on("weekends", () => { if (calendar) calendar.setOption("weekends", model.weekends); });
  model.on("first_hour", () => { if (calendar) calendar.setOption("slotMinTime", `${String(model.first_hour).padStart(2, "0")}:00:00`); });
  model.on("last_hour", () => { if (calendar) calendar.setOption("slotMaxTime", `${String(model.last_hour).padStart(2, "0")}:00:00`); });
  const tellView = () => model.send_msg({ type: "view", view: viewName() === "listWeek" ? "agenda" : "week" });
  const changeView = () => {
    if (calendar && calendar.view.type !== viewName()) calendar.changeView(viewName());
    tellView();
  };
  model.on("view", changeView);
  narrow.addEventListener("change", changeView);
  // FullCalendar copies its styles into the shadow root only once the element is attached.
  model.on("after_render", () => { build(); tellView(); });
  model.on("remove", () => {
    window.removeEventListener("keydown", onEscape, true);
    narrow.removeEventListener("change", changeView);
    if (calendar) calendar.destroy();
  });
}
