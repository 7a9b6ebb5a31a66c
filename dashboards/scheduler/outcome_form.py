"""Step 3, Outcome: attendance per client (direct) or a status (indirect), note, homework,
signing, the amendment history, and comments once the note is locked."""

from __future__ import annotations

from datetime import datetime
from html import escape

import panel as pn
import param

from dashboards.scheduler.details_form import FORM_CSS, section
from dashboards.scheduler.outcome_record import (
    NOT_MARKED,
    RECORD_CSS,
    SECTION,
    comments_html,
    history_html,
    record_html,
    signature_html,
)
from dashboards.scheduler.read_only import READ_ONLY_CSS
from dashboards.scheduler.reason_picker import ReasonPicker
from dashboards.shared.feedback import FEEDBACK_CSS, FieldErrors
from thera_analytics.domain.attendance import Attendance, SessionStatus
from thera_analytics.domain.cancellation import MAY_TAKE_REASON, reason_needed
from thera_analytics.domain.outcome_change import OutcomeChange
from thera_analytics.domain.record import EventRecord
from thera_analytics.domain.signing import SIGNING_WARNING, sign_blocked_reason, sign_blockers
from thera_analytics.practice import Practice

FIELDS = ("attendance", "status", "note", "homework", "homework_enabled", "homework_shared",
          "signature", "comment", "outcome")

ATTENDANCE_OPTIONS: dict[str, str | None] = {NOT_MARKED: None,
                                             **{a.label: a.value for a in Attendance}}
HOMEWORK_FLAGS = {"Homework enabled": "enabled", "Share with the client portal": "shared"}
STATUS_OPTIONS: dict[str, str | None] = {"Not marked": None,
                                         **{s.label: s.value for s in SessionStatus}}

# Bokeh's green (#5cb85c) gives white text 2.48:1; this green gives 5.1:1 (WCAG AA).
SIGN_CSS = """
.bk-btn-success { background-color: #1a7f37; border-color: #116329; color: #ffffff; }
.bk-btn-success:hover, .bk-btn-success:focus { background-color: #116329; }
"""


class _OutcomeErrors(FieldErrors):
    """The form's error lines; a refusal naming ``reason_<client>`` lands under that client's
    reason picker."""

    def __init__(self, fields: tuple[str, ...]) -> None:
        super().__init__(fields)
        self.pickers: dict[int, ReasonPicker] = {}

    def show(self, field: str | None, message: str) -> bool:
        if field and field.startswith("reason_"):
            client = field.removeprefix("reason_").removesuffix("_text")
            picker = self.pickers.get(int(client)) if client.isdigit() else None
            if picker is not None:
                picker.show_error(message[:1].upper() + message[1:])
                return True
        return super().show(field, message)

    def clear(self) -> None:
        super().clear()
        for picker in self.pickers.values():
            picker.clear_error()


def _reason_label(name: str, mark: str | None) -> str:
    required = mark is not None and reason_needed(Attendance(mark))
    return f"Reason for {name}" + ("" if required else " (optional)")


class OutcomeForm(pn.viewable.Viewer):
    """The outcome step and, once signed, its history; read-only after the 24-hour window."""

    practice = param.ClassSelector(class_=Practice)
    editable = param.Boolean(default=True, doc="The actor may change the outcome now.")
    direct = param.Boolean(default=True)
    can_sign = param.Boolean(default=False)
    can_comment = param.Boolean(default=False)
    locked = param.Boolean(default=False)

    def __init__(self, **params: object) -> None:
        super().__init__(**params)
        self.errors = _OutcomeErrors(FIELDS)
        w = pn.widgets
        self._marks: dict[int, pn.widgets.Select] = {}  # client id -> their attendance
        # A pool of attendance rows that only grows, one row per client of the session
        # shown: opening another session relabels rows rather than replacing them (replacing
        # a layout's children walks the whole page's models, and builds new views).
        self._rows: list[tuple[pn.widgets.Select, pn.Column]] = []
        self._row_pickers: dict[int, ReasonPicker] = {}  # row -> its reason picker, if asked
        self._clients: list[int] = []  # the client of each row shown
        self._saved_marks: dict[int, str | None] = {}
        self._attendance = pn.Column(sizing_mode="stretch_width", margin=0)
        self._grow(1)
        self.status = w.RadioButtonGroup(label="Status", options=STATUS_OPTIONS, value=None,
                                         color="primary", variant="outline",
                                         sizing_mode="stretch_width")
        self.note = w.TextAreaInput(label="Session note", height=140,
                                    sizing_mode="stretch_width")
        self.homework = w.TextAreaInput(label="Homework", height=80,
                                        sizing_mode="stretch_width")
        # A checkbox group labels each box (a lone Checkbox has no accessible name).
        self.homework_flags = w.CheckBoxGroup(options=HOMEWORK_FLAGS, value=[], inline=True,
                                              margin=(5, 10))
        self.homework_flags.param.watch(self._on_flags, "value")
        self.save = w.Button(label="Save", color="primary", width=100)
        self.sign = w.Button(label="✍ Sign note", color="success", width=130,
                              stylesheets=[SIGN_CSS])
        # Why the sign button is not usable yet, beside it (a disabled button says nothing).
        self.sign_reason = pn.pane.HTML("", stylesheets=[FORM_CSS], visible=False,
                                        sizing_mode="stretch_width", margin=(0, 10),
                                        css_classes=["thera-sign-reason"])
        self._plan_saved = False
        self._starts_at: datetime | None = None
        # Until the form is filled with the record it was prepared for, whether the outcome
        # is marked is read from that record (the sign button shows on every step).
        self._filled = True
        self._record_marked = False
        self.confirm_sign = w.Button(label="Sign now", color="success", width=110,
                                     stylesheets=[SIGN_CSS])
        self.cancel_sign = w.Button(label="Not yet", color="light", width=90)
        self.cancel_sign.on_click(lambda _: self.hide_sign_warning())
        self._warning = pn.pane.HTML(
            '<div class="thera-notice warning" role="alertdialog" aria-label="Before you sign">'
            f"<b>Before you sign</b><br>"
            f"{escape(SIGNING_WARNING)}</div>", stylesheets=[FEEDBACK_CSS],
            sizing_mode="stretch_width", margin=(5, 10))
        self._sign_confirm = pn.Column(self._warning,
                                       pn.Row(self.confirm_sign, self.cancel_sign, margin=0),
                                       visible=False, sizing_mode="stretch_width", margin=0,
                                       css_classes=["thera-sign-confirm"])
        # Few panes, each changed at most once per event opened: every change re-lays out
        # the page (and repaints the calendar beside it).
        self._top = pn.pane.HTML("", stylesheets=[FEEDBACK_CSS, RECORD_CSS],
                                 sizing_mode="stretch_width", margin=(5, 10),
                                 css_classes=["thera-outcome-record"])
        self._bottom = pn.pane.HTML("", stylesheets=[RECORD_CSS], sizing_mode="stretch_width",
                                    margin=(0, 10), css_classes=["thera-outcome-history"])
        self.comment = w.TextAreaInput(label="Add a comment", height=70,
                                       sizing_mode="stretch_width",
                                       placeholder="An addendum to the signed note")
        self.add_comment = w.Button(label="Add comment", color="primary", width=130)
        self._comment_part = pn.Column(
            self.comment, self.errors["comment"], self.add_comment,
            sizing_mode="stretch_width", margin=0, visible=False,
            css_classes=["thera-comments"])
        # The status buttons draw no label of their own: a heading names them.
        self._status_label = section("Status")
        self._form = pn.Column(
            self._attendance_part(), self._status_label, self.status, self.errors["status"],
            self.note, self.errors["note"], self.homework, self.errors["homework"],
            self.homework_flags, self.errors["homework_enabled"], self.errors["homework_shared"],
            sizing_mode="stretch_width", margin=0)
        # The sign button is placed by the editor, on its step bar at the top.
        self.actions = pn.Row(self.save, margin=0)
        self.status.param.watch(self._update_sign_state, "value")
        self._layout = pn.Column(
            self._top, self.errors["outcome"], self._form, self.actions,
            self.errors["signature"],
            self._sign_confirm, self._bottom, self._comment_part,
            sizing_mode="stretch_width", margin=0, stylesheets=[FEEDBACK_CSS])
        self._on_state()

    def _attendance_part(self) -> pn.Column:
        self._attendance_box = pn.Column(section("Attendance"), self._attendance,
                                         self.errors["attendance"],
                                         sizing_mode="stretch_width", margin=0)
        return self._attendance_box

    def __panel__(self) -> pn.viewable.Viewable:
        return self._layout

    # -- state ---------------------------------------------------------------------------------
    @param.depends("editable", "direct", "can_sign", "can_comment", "locked", watch=True)
    def _on_state(self) -> None:
        self._attendance_box.visible = self.direct
        self.status.visible = self._status_label.visible = not self.direct
        for widget in (*self._marks.values(), self.status, self.note, self.homework,
                       self.homework_flags):
            widget.disabled = not self.editable
        for picker in self.errors.pickers.values():
            picker.disabled = not self.editable
        self._form.visible = not self.locked
        self._comment_part.visible = self.can_comment
        self.sign.visible = self.can_sign
        self._update_sign_state()

    def sign_blockers(self) -> tuple[str, ...]:
        """What is missing before the note can be signed, with the marks as the form has them
        (they are saved with the signature)."""
        if not self._filled:
            marked = self._record_marked
        elif self.direct:
            values = [w.value for w in self._marks.values()]
            marked = bool(values) and all(v is not None for v in values)
        else:
            marked = self.status.value is not None
        # The time is read now, not when the event was opened: the form may stay open across
        # the session's start.
        started = self._starts_at is None or self.practice.now() >= self._starts_at
        return sign_blockers(plan_saved=self._plan_saved, outcome_marked=marked,
                             started=started)

    def _update_sign_state(self, *_: object) -> None:
        blockers = self.sign_blockers() if self.can_sign else ()
        self.sign.disabled = bool(blockers)
        reason = sign_blocked_reason(blockers)
        html = (f'<div class="thera-hint" role="note"><b>Not ready to sign:</b> '
                f"{escape(reason)}.</div>" if blockers else "")
        if self.sign_reason.object != html:
            self.sign_reason.object = html
        self.sign_reason.visible = bool(blockers)

    def _grow(self, size: int) -> None:
        """At least ``size`` attendance rows (new ones hidden)."""
        added = []
        while len(self._rows) < size:
            index = len(self._rows)
            select = pn.widgets.Select(label="Client", options=ATTENDANCE_OPTIONS,
                                       sizing_mode="stretch_width", margin=(5, 10),
                                       stylesheets=[READ_ONLY_CSS], disabled=not self.editable)
            select.param.watch(self._update_sign_state, "value")
            select.param.watch(lambda e, i=index: self._show_reason(i), "value")
            row = pn.Column(select, margin=0, sizing_mode="stretch_width", visible=False)
            self._rows.append((select, row))
            added.append(row)
        if added:
            self._attendance.extend(added)

    def _show_reason(self, index: int) -> None:
        # Asked when a client's mark becomes a cancellation (or a no show): the mark saved
        # before already carries its reason.
        if index >= len(self._clients):
            return
        client_id = self._clients[index]
        select, row = self._rows[index]
        picker = self._row_pickers.get(index)
        mark = select.value
        asks = (mark is not None and Attendance(mark) in MAY_TAKE_REASON
                and mark != self._saved_marks.get(client_id))
        if picker is None:
            if not asks:
                return
            # Built when first needed: most sessions never ask, and a page holds less.
            picker = ReasonPicker(_reason_label(select.label, mark),
                                  more=f"Say more ({select.label})")
            picker.offer(self.practice)
            picker.disabled = not self.editable
            self._row_pickers[index] = picker
            self.errors.pickers[client_id] = picker
            row.append(picker)
        elif asks and not picker.visible:  # asked again, maybe for another client
            picker.offer(self.practice)
            picker.text.label = f"Say more ({select.label})"
        if asks:
            picker.select.label = _reason_label(select.label, mark)
        picker.visible = asks

    def _on_flags(self, event: param.parameterized.Event) -> None:
        # Sharing needs the homework enabled: ticking "share" enables it, unticking "enabled"
        # stops sharing.
        new, old = set(event.new), set(event.old)
        if "shared" in new - old and "enabled" not in new:
            self.homework_flags.value = ["enabled", "shared"]
        elif "enabled" in old - new and "shared" in new:
            self.homework_flags.value = []

    @property
    def homework_enabled(self) -> bool:
        return "enabled" in (self.homework_flags.value or [])

    @property
    def homework_shared(self) -> bool:
        return "shared" in (self.homework_flags.value or [])

    def show_sign_warning(self) -> None:
        self._sign_confirm.visible = True

    def hide_sign_warning(self) -> None:
        self._sign_confirm.visible = False

    @property
    def sign_warning_shown(self) -> bool:
        return bool(self._sign_confirm.visible)

    # -- filling -------------------------------------------------------------------------------
    def load(self, rec: EventRecord, now: datetime, *, editable: bool, can_comment: bool,
             owner: bool) -> None:
        """Show the outcome of ``rec`` as the actor may see it at ``now``."""
        self.prepare(rec, now, editable=editable, can_comment=can_comment, owner=owner)
        self.fill(rec, now)

    def prepare(self, rec: EventRecord, now: datetime, *, editable: bool, can_comment: bool,
                owner: bool) -> None:
        """What the step bar shows of ``rec`` whatever the step (the sign button and why it
        cannot be used yet), and what may be done; the fields are filled by ``fill`` when the
        Outcome step is shown."""
        self.errors.clear()
        self.hide_sign_warning()
        locked = rec.locked(now)
        self._filled = False
        self._record_marked = (
            bool(rec.clients) and all(c.attendance is not None for c in rec.clients)
            if rec.direct else rec.status is not None)
        self._plan_saved = rec.plan_saved_at is not None
        self._starts_at = rec.start
        self.param.update(direct=bool(rec.direct), editable=editable and not locked,
                          locked=locked, can_comment=can_comment and rec.signed_at is not None,
                          can_sign=owner and rec.signed_at is None)
        self._on_state()

    def fill(self, rec: EventRecord, now: datetime) -> None:
        """The fields, the signature line, the locked record, history and comments of
        ``rec`` (prepared first)."""
        zone = self.practice.db.zone
        locked = rec.locked(now)
        clients = list(rec.clients) if rec.direct else []
        self._grow(len(clients))
        self._clients = []  # no reason is asked while the rows are being filled
        self._saved_marks = {c.client_id: c.attendance.value if c.attendance else None
                             for c in clients}
        self.errors.pickers = {}
        for index, (select, row) in enumerate(self._rows):
            if index >= len(clients):
                row.visible = False
                continue
            c = clients[index]
            picker = self._row_pickers.get(index)
            if picker is not None:
                picker.visible = False
                self.errors.pickers[c.client_id] = picker
            # The client's name labels their attendance (shown as text, never as HTML).
            select.param.update(label=c.name,
                                value=c.attendance.value if c.attendance else None)
            row.visible = True
        self._clients = [c.client_id for c in clients]
        self._marks = {c.client_id: self._rows[i][0] for i, c in enumerate(clients)}
        self.status.value = rec.status.value if rec.status else None
        self.note.value = rec.note or ""
        self.homework.value = rec.homework or ""
        self.homework_flags.value = [flag for flag, on in (("enabled", rec.homework_enabled),
                                                           ("shared", rec.homework_shared)) if on]
        self._top.object = signature_html(rec, now, zone) + (
            record_html(rec) if locked else "")
        bottom = ""
        if rec.amendments:
            bottom += SECTION.format("Amendment history") + history_html(rec, zone)
        if rec.signed_at is not None or rec.comments:
            bottom += SECTION.format("Comments") + comments_html(rec, zone)
        self._bottom.object = bottom
        self.comment.value = ""
        self._filled = True
        self._on_state()

    # -- reading -------------------------------------------------------------------------------
    def changes(self, rec: EventRecord) -> OutcomeChange:
        """What differs from ``rec``, the one diff of a save: what ``Practice.save_outcome``
        and ``Practice.save_and_sign`` write. Text the rules refuse (a NUL, too long) raises
        ``ValidationError`` naming its field."""
        out: dict[str, object] = {}
        if rec.direct:
            old = {c.client_id: (c.attendance.value if c.attendance else None)
                   for c in rec.clients}
            marks = {cid: w.value for cid, w in self._marks.items() if w.value != old.get(cid)}
            if marks:
                out["attendance"] = marks
            reasons = {cid: p.reason for cid, p in self.errors.pickers.items()
                       if cid in marks and p.visible and p.reason is not None}
            if reasons:
                out["reasons"] = reasons
        else:
            old_status = rec.status.value if rec.status else None
            if self.status.value != old_status:
                out["status"] = self.status.value
        for key, value, before in (
            ("note", self.note.value or "", rec.note or ""),
            ("homework", self.homework.value or "", rec.homework or ""),
            ("homework_enabled", self.homework_enabled, rec.homework_enabled),
            ("homework_shared", self.homework_shared, rec.homework_shared),
        ):
            if value != before:
                out[key] = value
        return OutcomeChange.of(**out)
