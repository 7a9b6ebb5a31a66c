"""The scheduler's Viewers without a server: calendar layout, clicks, and the three-step editor."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pandas as pd
import panel as pn
import pytest

from dashboards.scheduler.app import SchedulerApp, create_app
from dashboards.scheduler.calendar import WeekCalendar
from dashboards.scheduler.editor import EventEditor
from dashboards.shared.feedback import split_refusal
from dashboards.shared.legend import legend_html
from dashboards.shared.messages import NewEvent, OpenEvent
from dashboards.shared.week_geometry import week_view
from tests.factories import TestPractice as Sample
from tests.factories import make_practice
from thera_analytics.domain import palette
from thera_analytics.domain.errors import SigningError, ValidationError
from thera_analytics.domain.kinds import EventKind
from thera_analytics.domain.outcome_change import OutcomeChange
from thera_analytics.domain.palette import ColourFamily
from thera_analytics.domain.recurrence import Recurrence
from thera_analytics.domain.steps import Step
from thera_analytics.service import catalog

MONDAY = date(2026, 6, 1)


@pytest.fixture
def tp() -> Sample:
    return make_practice()


def click(button: pn.widgets.Button) -> None:
    button.clicks += 1


def editor_for(tp: Sample, actor=None) -> EventEditor:
    return EventEditor(practice=tp.practice, actor=actor or tp.ann)


def fill_session(ed: EventEditor, tp: Sample, *, kind: EventKind = EventKind.VIDEO_SESSION,
                 clients: list[int] | None = None, direct: bool = True) -> None:
    form = ed.details
    form.kind.value = kind.value
    form.service.value = tp.service
    form.clients.value = clients if clients is not None else [tp.clients[0]]
    form.direct.value = direct


# -- calendar layout (no plotting) ---------------------------------------------------------------

def _frame(rows: list[dict]) -> pd.DataFrame:
    base = {"event_group": "client", "colour_family": "blue", "kind_label": "Client session",
            "title": "", "duration_minutes": 50, "direct": True, "client_names": "Cara Cole",
            "attendance": "-", "status": None, "dot_details": True, "dot_plan": False,
            "dot_outcome": False}
    return pd.DataFrame([{**base, **r} for r in rows])


def test_overlapping_events_share_their_day_side_by_side() -> None:
    frame = _frame([
        {"event_id": 1, "local_start": datetime(2026, 6, 1, 10, 0)},
        {"event_id": 2, "local_start": datetime(2026, 6, 1, 10, 30)},
        {"event_id": 3, "local_start": datetime(2026, 6, 2, 10, 0)},
    ])
    view = week_view(frame, MONDAY)
    b = view.blocks.set_index("event_id")
    assert b.loc[1, "x1"] <= b.loc[2, "x0"]  # side by side, not on top of each other
    assert b.loc[3, "x1"] - b.loc[3, "x0"] > 0.9  # alone: the whole day's width
    assert view.event_at(b.loc[2, "x0"] + 0.01, 10.9) == 2
    assert view.days == 5


def test_a_click_maps_to_an_event_or_to_the_quarter_hour_of_an_empty_slot() -> None:
    frame = _frame([{"event_id": 7, "local_start": datetime(2026, 6, 3, 9, 0)}])
    view = week_view(frame, MONDAY)
    assert view.event_at(2.5, 9.5) == 7
    assert view.event_at(2.5, 10.0) is None
    assert view.slot_at(2.5, 10.6) == datetime(2026, 6, 3, 10, 30)
    assert view.slot_at(7.5, 10.0) is None  # beyond the last day shown


def test_weekend_columns_appear_when_the_week_has_weekend_events() -> None:
    frame = _frame([{"event_id": 1, "local_start": datetime(2026, 6, 6, 9, 0)}])
    view = week_view(frame, MONDAY)
    assert view.days == 7
    assert view.x_ticks[5][1] == "Sat 6 Jun"


def test_blocks_name_kind_client_and_time_and_client_events_carry_three_dots() -> None:
    frame = _frame([
        {"event_id": 1, "local_start": datetime(2026, 6, 1, 9, 0), "kind_label": "Video session",
         "colour_family": "pink", "attendance": "attended", "dot_plan": True},
        {"event_id": 2, "local_start": datetime(2026, 6, 1, 11, 0), "event_group": "non_client",
         "kind_label": "Admin", "colour_family": "peach", "title": "Reports",
         "client_names": "", "attendance": "", "direct": None},
    ])
    view = week_view(frame, MONDAY)
    text = view.labels["text"].tolist()
    assert text[0].splitlines() == ["Video session", "Cara Cole", "09:00–09:50"]
    assert text[1].splitlines()[:2] == ["Admin", "Reports"]
    assert view.blocks["fill"].tolist() == [palette.FILL[ColourFamily.PINK],
                                            palette.FILL[ColourFamily.PEACH]]
    dots = view.dots[view.dots["event_id"] == 1].sort_values("dot")
    assert dots["colour"].tolist() == [palette.DOT_GREEN, palette.DOT_GREEN, palette.DOT_GREY]
    assert view.dots[view.dots["event_id"] == 2].empty  # non-client events carry no dots
    assert view.marks["colour"].tolist() == [palette.ATTENDANCE["attended"]]


def test_long_names_are_cut_to_fit_the_block() -> None:
    name = "Bartholomew Fitzgerald-Montgomery Worthington"
    frame = _frame([{"event_id": 1, "local_start": datetime(2026, 6, 1, 9, 0),
                     "client_names": name}])
    lines = week_view(frame, MONDAY).labels["text"][0].splitlines()
    assert lines[1].endswith("…") and len(lines[1]) < len(name)


def test_legend_names_every_colour_family_and_attendance_value() -> None:
    html = legend_html()
    for text in ("Client sessions", "Video sessions", "Team meetings", "Non-client", "Attended",
                 "Late cancellation", "No show", "Non-billable", "Completed", "On hold"):
        assert text in html
    for colour in palette.FILL.values():
        assert colour in html


# -- the calendar Viewer ------------------------------------------------------------------------

def test_a_clinician_sees_their_own_week_and_cannot_pick_another(tp: Sample) -> None:
    tp.create()
    tp.create(actor=tp.ben, clinician_id=tp.ben.clinician_id)
    cal = WeekCalendar(practice=tp.practice, actor=tp.ann, week=MONDAY,
                       clinician_id=tp.ben.clinician_id)
    assert cal.clinician_id == tp.ann.clinician_id
    assert cal.events["clinician_id"].tolist() == [tp.ann.clinician_id]
    assert cal._who is None


def test_a_manager_picks_the_clinician(tp: Sample) -> None:
    tp.create(actor=tp.ben, clinician_id=tp.ben.clinician_id)
    cal = WeekCalendar(practice=tp.practice, actor=tp.manager, week=MONDAY)
    assert cal._who is not None
    cal._who.value = tp.ben.clinician_id
    assert cal.clinician_id == tp.ben.clinician_id
    assert len(cal.events) == 1


def test_previous_next_and_today_move_the_week(tp: Sample) -> None:
    tp.create(start=datetime(2026, 6, 8, 10, 0), end=datetime(2026, 6, 8, 10, 50))
    cal = WeekCalendar(practice=tp.practice, actor=tp.ann, week=date(2026, 6, 3))
    assert cal.week == MONDAY and cal.events.empty
    click(cal._next)
    assert cal.week == date(2026, 6, 8) and len(cal.events) == 1
    click(cal._prev)
    click(cal._prev)
    assert cal.week == date(2026, 5, 25)
    click(cal._today_btn)
    assert cal.week == MONDAY
    cal._date.value = date(2026, 6, 10)
    assert cal.week == date(2026, 6, 8)
    assert "8 Jun" in cal._title.object and "Week 24" in cal._title.object


def test_today_column_is_marked(tp: Sample) -> None:
    cal = WeekCalendar(practice=tp.practice, actor=tp.ann, week=MONDAY)
    # The grid draws the today column from the practice's clock, not the browser's.
    assert cal.grid.week == "2026-06-01" and cal.grid.now.startswith("2026-06-01T")
    click(cal._next)
    assert cal.grid.week == "2026-06-08" and cal.grid.now.startswith("2026-06-01T")


def test_tapping_an_event_or_an_empty_slot_makes_a_request(tp: Sample) -> None:
    event_id = tp.create()
    cal = WeekCalendar(practice=tp.practice, actor=tp.ann, week=MONDAY)
    cal.grid._handle_msg({"type": "open", "id": str(event_id)})
    assert isinstance(cal.request, OpenEvent) and cal.request.event_id == event_id
    cal.grid._handle_msg({"type": "book", "start": "2026-06-02T14:15:00Z"})
    assert isinstance(cal.request, NewEvent)
    assert cal.request.start == datetime(2026, 6, 2, 14, 15)


# -- the editor: details ------------------------------------------------------------------------

def test_a_new_direct_video_session_is_saved_and_goes_on_to_the_plan(tp: Sample) -> None:
    ed = editor_for(tp)
    ed.new(datetime(2026, 6, 1, 11, 0))
    assert ed.details.end.value == "11:50"
    fill_session(ed, tp)
    click(ed.next_details)
    rec = ed.record
    assert rec is not None and rec.kind is EventKind.VIDEO_SESSION and rec.direct
    assert rec.dots is not None and rec.dots.as_tuple() == (True, False, False)
    assert ed.steps.value == Step.PLAN.value
    assert "Saved" in ed.banner.text


def test_a_start_without_a_day_is_today_on_the_practices_clock(tp: Sample) -> None:
    ed = editor_for(tp)
    ed.new(datetime(2026, 6, 1, 11, 0))
    tp.clock.set(datetime(2026, 6, 3, 23, 30, tzinfo=UTC))  # Thursday 00:30 in London
    ed.details.day.value = None
    assert ed.details._start_dt() == datetime(2026, 6, 4, 11, 0)


def test_a_refusal_is_shown_under_its_field_and_the_form_keeps_its_contents(
        tp: Sample) -> None:
    ed = editor_for(tp)
    ed.new(datetime(2026, 6, 1, 11, 0))
    fill_session(ed, tp)
    ed.details.service.value = None
    ed.details.title.value = "Keep me"
    click(ed.save_details)
    assert ed.record is None
    shown = ed.details.errors.shown()
    assert list(shown) == ["service"] and "needs a service" in shown["service"]
    assert ed.details.clients.value == [tp.clients[0]]
    assert ed.details.title.value == "Keep me"
    assert tp.practice.week(tp.ann, MONDAY).empty


def test_end_before_start_is_refused_at_the_end_field(tp: Sample) -> None:
    ed = editor_for(tp)
    ed.new(datetime(2026, 6, 1, 11, 0))
    fill_session(ed, tp)
    ed.details.end.value = "10:00"
    click(ed.save_details)
    assert "after the start" in ed.details.errors.shown()["end"]


def test_kinds_are_grouped_client_apart_from_non_client(tp: Sample) -> None:
    groups = editor_for(tp).details.kind.groups
    assert list(groups) == ["Client events", "Non-client events"]
    assert len(groups["Client events"]) == 6 and len(groups["Non-client events"]) == 4


def test_a_non_client_event_has_the_details_step_only(tp: Sample) -> None:
    ed = editor_for(tp)
    ed.new(datetime(2026, 6, 1, 12, 0))
    ed.details.kind.value = EventKind.ADMIN.value
    assert not ed.details._client_part.visible
    ed.details.title.value = "Reports"
    click(ed.save_details)
    assert ed.record is not None and ed.record.kind is EventKind.ADMIN
    assert not ed.steps.visible
    assert ed._tab_details.visible and not ed._tab_plan.visible
    assert not ed.next_details.visible


def test_overlap_offers_save_anyway(tp: Sample) -> None:
    tp.create()  # 10:00-10:50
    ed = editor_for(tp)
    ed.new(datetime(2026, 6, 1, 10, 30))
    fill_session(ed, tp)
    click(ed.save_details)
    assert ed.record is None and "overlaps" in ed.banner.text
    assert ed._save_anyway.visible
    click(ed._save_anyway)
    assert ed.record is not None
    assert len(tp.practice.week(tp.ann, MONDAY)) == 2


def test_a_series_overlap_names_every_clash_and_save_anyway_counts_the_sessions(
        tp: Sample) -> None:
    # Ann's Tuesdays at 09:30: a session in weeks 1 and 3, and admin in week 1 too.
    for day in (2, 16):
        tp.create(start=datetime(2026, 6, day, 9, 30), end=datetime(2026, 6, day, 10, 20))
    tp.practice.create_event(tp.ann, tp.details(
        kind=EventKind.ADMIN, title="Reports", service_id=None, client_ids=(), direct=None,
        start=datetime(2026, 6, 2, 9, 45), end=datetime(2026, 6, 2, 10, 0)), allow_overlap=True)
    ed = editor_for(tp)
    ed.new(datetime(2026, 6, 2, 9, 0))
    fill_session(ed, tp, kind=EventKind.CLIENT_SESSION)
    ed.details.repeat.value = 1
    ed.details.count.value = 4
    click(ed.save_details)
    text = ed.banner.text
    assert ed.record is None and "overlaps 3 of your events" in text
    assert "Client session on Tue 2 Jun 09:30–10:20" in text
    assert "Admin “Reports” on Tue 2 Jun 09:45–10:00" in text
    assert "Client session on Tue 16 Jun 09:30–10:20" in text
    assert ed._save_anyway.visible and ed._save_anyway.label == "Save anyway (2 sessions clash)"
    click(ed._save_anyway)
    assert "4 sessions" in ed.banner.text


def test_client_search_lists_own_clients_first_more_than_four_and_says_when_there_are_more(
        tp: Sample) -> None:
    from dashboards.scheduler.client_search import MATCHES

    others = [catalog.add_client(tp.db, f"Sam Other {i:02d}", tp.clock.now) for i in range(20)]
    mine = catalog.add_client(tp.db, "Sam Zed", tp.clock.now)
    tp.create(client_ids=(mine,))  # Sam Zed is Ann's client: first, though last by name
    ed = editor_for(tp)
    ed.new(datetime(2026, 6, 3, 9, 0))
    search = ed.details.client_search
    listed = search.matches("sam")
    assert listed[0] == mine and len(listed) == MATCHES > 4
    assert set(listed[1:]) <= set(others)
    assert search.input.max_completions == MATCHES and search.input.options[0] == "Sam Zed"
    search.input.value_input = "sam"
    assert "Showing 12 of 21 matches" in search.hint.object
    search.input.value_input = "sam other 1"
    assert "10 matches" in search.hint.object
    search.input.value_input = "nobody"
    assert "No active client matches" in search.hint.object
    search.input.value = "Sam Zed"  # choosing a match adds the client
    assert ed.details.clients.value == [mine] and search.input.value == ""


def test_a_weekly_series_is_created_and_following_sessions_move_and_cancel(
        tp: Sample) -> None:
    ed = editor_for(tp)
    ed.new(datetime(2026, 6, 2, 9, 0))
    fill_session(ed, tp, kind=EventKind.CLIENT_SESSION)
    ed.details.repeat.value = 1
    ed.details.count.value = 3
    click(ed.save_details)
    assert "3 sessions" in ed.banner.text
    first = ed.record
    assert first is not None and first.series_id is not None
    assert ed.details._scope_part.visible
    ed.details.start.value = "13:00"
    ed.details.scope.value = "following"
    click(ed.save_details)
    for week in (date(2026, 6, 2), date(2026, 6, 9), date(2026, 6, 16)):
        frame = tp.practice.week(tp.ann, week)
        assert frame["local_start"].dt.hour.tolist() == [13]
    click(ed.cancel_event)
    ed.cancel_scope.value = "following"
    assert ed.cancel_reason.visible
    click(ed.confirm_cancel)  # no reason yet: refused, the dialog stays open
    assert "Not cancelled" in ed.banner.text and ed._cancel_row.visible
    assert "choose why" in ed.cancel_reason.error.object.lower()
    assert not tp.practice.week(tp.ann, date(2026, 6, 16)).empty
    ed.cancel_reason.select.value = "other"
    assert ed.cancel_reason.text.visible
    ed.cancel_reason.text.value = "Clinic move"
    click(ed.confirm_cancel)
    assert "3 events cancelled" in ed.banner.text
    assert tp.practice.week(tp.ann, date(2026, 6, 16)).empty
    reasons = tp.db.df("SELECT reason_code, reason_text FROM cancellations")
    assert reasons.values.tolist() == [["other", "Clinic move"]] * 3


def test_the_outcome_step_asks_why_a_client_cancelled(tp: Sample) -> None:
    event_id = tp.create()
    cara = tp.clients[0]
    tp.clock.set(tp.clock.now + timedelta(hours=4))
    ed = editor_for(tp)
    ed.open(event_id)
    ed.steps.value = Step.OUTCOME.value
    assert cara not in ed.outcome.errors.pickers  # asked only when a mark needs it
    ed.outcome._marks[cara].value = "no_show"
    picker = ed.outcome.errors.pickers[cara]
    assert picker.visible and picker.select.label.endswith("(optional)")
    ed.outcome._marks[cara].value = "late_cancellation"
    assert picker.visible and picker.select.label == "Reason for Cara Cole"
    labels = list(picker.select.options)
    assert "Client illness" in labels and "Other" in labels
    click(ed.save_outcome)  # no reason: refused under the picker, nothing saved
    assert "choose why" in picker.error.object.lower()
    assert tp.practice.event(tp.ann, event_id).clients[0].attendance is None
    picker.select.value = "forgot"
    click(ed.save_outcome)
    assert not picker.error.visible
    assert tp.practice.event(tp.ann, event_id).clients[0].attendance.value == \
        "late_cancellation"
    assert tp.db.df("SELECT kind, reason_code FROM cancellations").values.tolist() == [
        ["late_cancellation", "forgot"]]
    assert not ed.outcome.errors.pickers[cara].visible  # saved: asked no more


def test_a_third_party_is_added_for_a_client_and_gets_a_reminder(tp: Sample) -> None:
    ed = editor_for(tp)
    ed.new(datetime(2026, 6, 1, 15, 0))
    fill_session(ed, tp, clients=[tp.clients[1]])
    form = ed.details
    card = form.third_party
    card.toggle.value = True
    card.client.value = tp.clients[1]
    card.person_name.value = "Ms Teacher"
    card.relationship.value = ""
    click(card.add)
    assert "relationship" in card.errors.shown()
    card.relationship.value = "Teacher"
    click(card.add)
    assert len(form.third_parties.value) == 1
    assert not card.toggle.value and card.person_name.value == ""
    channel, lead = form.reminder_rows.rows[("third_party", form.third_parties.value[0])]
    channel.value = "email"
    lead.value = 60
    click(ed.save_details)
    rec = ed.record
    assert rec is not None and len(rec.third_party_ids) == 1
    assert [(r.channel.value, r.lead_minutes) for r in rec.reminders] == [("email", 60)]


# -- plan and outcome ---------------------------------------------------------------------------

def _signed_earlier(tp: Sample) -> None:
    earlier = tp.create(start=datetime(2026, 5, 25, 10, 0), end=datetime(2026, 5, 25, 10, 50))
    p = tp.practice
    v = p.save_plan(tp.ann, earlier, tp.version(earlier), "plan")
    p.save_outcome(tp.ann, earlier, v, OutcomeChange.of(attendance={tp.clients[0]: "attended"},
                   note="Slept better", homework="Breathing log"))


def test_the_plan_is_prefilled_from_the_last_session_and_saving_turns_dot_two_green(
        tp: Sample) -> None:
    _signed_earlier(tp)
    event_id = tp.create()
    ed = editor_for(tp)
    ed.open(event_id)
    assert ed.steps.value == Step.PLAN.value  # reopening goes to the step next to do
    assert ed.plan.previous_note.value == "Slept better"
    assert ed.plan.previous_homework.value == "Breathing log"
    assert "Pre-filled" in ed.plan._source.object
    ed.plan.plan.value = "Review the log"
    click(ed.next_plan)
    assert ed.record is not None and ed.record.dots.as_tuple() == (True, True, False)
    assert ed.steps.value == Step.OUTCOME.value


def test_a_direct_session_records_attendance_per_client_never_a_status(tp: Sample) -> None:
    event_id = tp.create(kind=EventKind.GROUP_SESSION, client_ids=tuple(tp.clients))
    ed = editor_for(tp)
    ed.open(event_id, Step.OUTCOME)
    assert ed.outcome._attendance_box.visible and not ed.outcome.status.visible
    assert sorted(ed.outcome._marks) == sorted(tp.clients)
    ed.outcome._marks[tp.clients[0]].value = "attended"
    ed.outcome._marks[tp.clients[1]].value = "no_show"
    click(ed.save_outcome)
    marks = {c.client_id: c.attendance for c in ed.record.clients}
    assert marks[tp.clients[0]].value == "attended" and marks[tp.clients[1]].value == "no_show"
    assert marks[tp.clients[2]] is None


def test_an_indirect_session_records_a_status_and_offers_no_attendance(tp: Sample) -> None:
    event_id = tp.create(kind=EventKind.CLIENT_TEAM_MEETING, direct=False)
    ed = editor_for(tp)
    ed.open(event_id, Step.OUTCOME)
    assert ed.outcome.status.visible and not ed.outcome._attendance_box.visible
    ed.outcome.status.value = "completed"
    click(ed.save_outcome)
    assert ed.record.status is not None and ed.record.status.value == "completed"


def test_the_status_choice_has_a_visible_label_and_read_only_fields_stay_readable(
        tp: Sample) -> None:
    from dashboards.scheduler.read_only import READ_ONLY_CSS

    meeting = tp.create(kind=EventKind.CLIENT_TEAM_MEETING, direct=False)
    ed = editor_for(tp, tp.manager)
    ed.open(meeting, Step.OUTCOME)
    assert ed.outcome.status.visible and ed.outcome._status_label.visible
    assert "Status" in ed.outcome._status_label.object
    assert ed.outcome._form.objects.index(ed.outcome._status_label) \
        < ed.outcome._form.objects.index(ed.outcome.status)
    for widget in (ed.outcome.status, ed.outcome.note, ed.details.kind, ed.details.clients,
                   ed.plan.plan):
        assert widget.disabled and READ_ONLY_CSS in widget.stylesheets
    ed.open(tp.create(start=datetime(2026, 6, 2, 10, 0), end=datetime(2026, 6, 2, 10, 50)),
            Step.OUTCOME)
    assert not ed.outcome._status_label.visible  # a direct session records attendance
    assert all(READ_ONLY_CSS in w.stylesheets for w in ed.outcome._marks.values())


def test_signing_warns_first_then_signs_and_all_three_dots_are_green(tp: Sample) -> None:
    event_id = tp.create()
    tp.practice.save_plan(tp.ann, event_id, tp.version(event_id), "plan")
    tp.clock.advance(timedelta(hours=3))
    ed = editor_for(tp)
    ed.open(event_id)
    assert ed.steps.value == Step.OUTCOME.value
    ed.outcome._marks[tp.clients[0]].value = "attended"
    ed.outcome.note.value = "Good session"
    ed.outcome.homework.value = "Walk daily"
    ed.outcome.homework_flags.value = ["shared"]  # sharing enables the homework too
    assert ed.outcome.homework_enabled
    click(ed.outcome.sign)
    assert ed.outcome.sign_warning_shown and ed.record.signed_at is None
    click(ed.outcome.confirm_sign)
    rec = ed.record
    assert rec.signed_at is not None and rec.dots.complete
    assert rec.homework_shared and rec.note == "Good session"
    assert "Amendments are possible until" in ed.outcome._top.object
    assert not ed.outcome.sign.visible


def test_the_sign_button_is_disabled_saying_what_is_missing(tp: Sample) -> None:
    event_id = tp.create()
    tp.clock.advance(timedelta(hours=3))
    ed = editor_for(tp)
    ed.open(event_id, Step.OUTCOME)
    sign, reason = ed.outcome.sign, ed.outcome.sign_reason
    assert sign.visible and sign.disabled and reason.visible
    assert "save the plan first and mark the outcome first" in reason.object
    ed.outcome._marks[tp.clients[0]].value = "attended"  # marked in the form, not yet saved
    assert sign.disabled and "save the plan first" in reason.object
    assert "mark the outcome" not in reason.object
    tp.practice.save_plan(tp.ann, event_id, tp.version(event_id), "plan")
    ed.open(event_id, Step.OUTCOME)
    assert sign.disabled and "mark the outcome first" in reason.object
    ed.outcome._marks[tp.clients[0]].value = "attended"
    assert not sign.disabled and not reason.visible


def test_a_session_not_started_cannot_be_signed_yet(tp: Sample) -> None:
    event_id = tp.create()
    tp.practice.save_plan(tp.ann, event_id, tp.version(event_id), "plan")
    ed = editor_for(tp)
    ed.open(event_id, Step.OUTCOME)
    ed.outcome._marks[tp.clients[0]].value = "attended"
    assert ed.outcome.sign.disabled
    assert "wait until the session has started" in ed.outcome.sign_reason.object


def test_not_marked_clears_the_status_and_an_unchanged_save_says_so(tp: Sample) -> None:
    event_id = tp.create(kind=EventKind.CLIENT_TEAM_MEETING, direct=False)
    tp.clock.advance(timedelta(hours=3))
    tp.practice.record_status(tp.ann, event_id, tp.version(event_id), "on_hold")
    ed = editor_for(tp)
    ed.open(event_id, Step.OUTCOME)
    ed.outcome.status.value = None  # "Not marked"
    click(ed.save_outcome)
    assert ed.record.status is None and "Outcome saved" in ed.banner.text
    click(ed.save_outcome)
    assert "Nothing has changed" in ed.banner.text


def test_the_sign_button_sits_on_the_step_bar_at_the_top_of_the_editor(tp: Sample) -> None:
    event_id = tp.create()
    tp.clock.advance(timedelta(hours=3))
    ed = editor_for(tp)
    ed.open(event_id, Step.PLAN)
    assert ed.outcome.sign in ed._step_bar.objects and ed.steps in ed._step_bar.objects
    assert ed.outcome.sign not in ed.outcome.actions.objects
    assert ed._body.objects.index(ed._step_bar) < ed._body.objects.index(ed._tab_outcome)
    assert ed.outcome.sign.visible
    click(ed.outcome.sign)  # from the Plan step: the Outcome step opens with the warning
    assert ed.steps.value == Step.OUTCOME.value and ed._tab_outcome.visible
    assert ed.outcome.sign_warning_shown
    other = tp.create(kind=EventKind.ADMIN, title="Paperwork", service_id=None, client_ids=(),
                      direct=None, start=tp.details().start + timedelta(days=1),
                      end=tp.details().end + timedelta(days=1))
    ed.open(other)
    assert not ed.outcome.sign.visible  # a non-client event has nothing to sign


def test_signing_without_attendance_is_refused_at_the_sign_button(tp: Sample) -> None:
    event_id = tp.create()
    tp.clock.advance(timedelta(hours=3))
    ed = editor_for(tp)
    ed.open(event_id, Step.OUTCOME)
    click(ed.outcome.sign)
    click(ed.outcome.confirm_sign)
    assert "mark the outcome first" in ed.outcome.errors.shown()["signature"]
    assert ed.record.signed_at is None


def test_a_refused_signature_saves_nothing_and_keeps_the_form(tp: Sample) -> None:
    """Save and sign is one use case: with the plan missing the signature is refused, and the
    attendance and note typed with it are not saved (they stay in the form)."""
    event_id = tp.create()
    tp.clock.advance(timedelta(hours=3))
    ed = editor_for(tp)
    ed.open(event_id, Step.OUTCOME)
    version = ed.record.version
    ed.outcome._marks[tp.clients[0]].value = "attended"
    ed.outcome.note.value = "Typed before signing"
    click(ed.outcome.sign)
    click(ed.outcome.confirm_sign)
    assert "save the plan first" in ed.outcome.errors.shown()["signature"]
    assert "Nothing was saved" in ed.banner.text
    stored = tp.practice.event(tp.ann, event_id)
    assert stored.version == version and stored.note == "" and stored.signed_at is None
    assert ed.outcome.note.value == "Typed before signing"


def _signed(tp: Sample) -> int:
    event_id = tp.create()
    tp.clock.advance(timedelta(hours=3))
    p = tp.practice
    v = p.save_outcome(tp.ann, event_id, tp.version(event_id),
                       OutcomeChange.of(attendance={tp.clients[0]: "attended"}, note="First note"))
    v = p.save_plan(tp.ann, event_id, v, "plan")
    p.sign(tp.ann, event_id, v)
    return event_id


def test_amending_within_24_hours_keeps_the_history(tp: Sample) -> None:
    event_id = _signed(tp)
    ed = editor_for(tp)
    ed.open(event_id, Step.OUTCOME)
    ed.outcome.note.value = "Amended note"
    click(ed.save_outcome)
    assert "Amendment saved" in ed.banner.text
    history = ed.outcome._bottom.object
    assert "Amendment history" in history and "First note" in history
    assert "Amended note" in history


def test_after_the_window_the_save_is_refused_and_the_comment_box_offered(
        tp: Sample) -> None:
    event_id = _signed(tp)
    ed = editor_for(tp)
    ed.open(event_id, Step.OUTCOME)
    tp.clock.advance(timedelta(hours=25))
    ed.outcome.note.value = "Too late"
    click(ed.save_outcome)
    assert "locked" in ed.banner.text
    assert ed.outcome.note.value == "Too late"  # kept, not lost
    assert ed.outcome.note.disabled and ed.outcome._comment_part.visible
    ed.outcome.comment.value = "Addendum: client called"
    click(ed.outcome.add_comment)
    assert [c.body for c in ed.record.comments] == ["Addendum: client called"]


def test_a_locked_record_opens_read_only_with_comments(tp: Sample) -> None:
    event_id = _signed(tp)
    tp.clock.advance(timedelta(hours=30))
    ed = editor_for(tp)
    ed.open(event_id)
    assert ed.outcome.locked and not ed.outcome._form.visible
    assert "First note" in ed.outcome._top.object and "locked" in ed.outcome._top.object
    assert ed.outcome._comment_part.visible and not ed.save_outcome.visible
    assert not ed._details_actions.visible


def test_a_save_over_a_newer_save_offers_a_reload_and_keeps_the_form(tp: Sample) -> None:
    event_id = tp.create()
    ed = editor_for(tp)
    ed.open(event_id, Step.PLAN)
    tp.practice.save_plan(tp.ann, event_id, tp.version(event_id), "Saved elsewhere")
    ed.plan.plan.value = "Mine"
    click(ed.save_plan)
    assert "Someone else saved" in ed.banner.text and ed._reload.visible
    assert ed.plan.plan.value == "Mine"
    click(ed._reload)
    assert ed.plan.plan.value == "Saved elsewhere"


# -- who may do what ----------------------------------------------------------------------------

def test_a_clinician_cannot_open_another_clinicians_session(tp: Sample) -> None:
    bens = tp.create(actor=tp.ben, clinician_id=tp.ben.clinician_id)
    ed = editor_for(tp)
    assert not ed.open(bens)
    assert "Cannot open" in ed.banner.text
    assert ed.record is None and not ed._body.visible


def test_a_manager_reads_but_does_not_edit_or_book(tp: Sample) -> None:
    event_id = tp.create()
    ed = editor_for(tp, tp.manager)
    ed.open(event_id)
    assert "Read only" in ed.banner.text
    assert ed.details.kind.disabled and not ed._details_actions.visible
    ed.new(datetime(2026, 6, 1, 9, 0))
    assert "book their own sessions" in ed.banner.text and ed.record.id == event_id


def test_names_and_notes_with_html_are_escaped(tp: Sample) -> None:
    evil = catalog.add_client(tp.db, '<img src=x onerror="alert(1)">', tp.clock())
    event_id = tp.create(client_ids=(evil,))
    tp.clock.advance(timedelta(hours=3))
    p = tp.practice
    v = p.save_outcome(tp.ann, event_id, tp.version(event_id),
        OutcomeChange.of(attendance={evil: "attended"},
                       note="<script>alert(2)</script>"))
    v = p.save_plan(tp.ann, event_id, v, "plan")
    p.sign(tp.ann, event_id, v)
    tp.clock.advance(timedelta(hours=30))
    ed = editor_for(tp)
    ed.open(event_id)
    html = ed._head.object + ed.outcome._top.object
    assert "<img" not in html and "<script>" not in html
    assert "&lt;img src=x" in html and "&lt;script&gt;" in html


def test_refusal_messages_name_their_field() -> None:
    assert split_refusal(ValidationError("clients", "needs one")) == ("clients", "needs one")
    assert split_refusal(SigningError("signature: already signed")) == (
        "signature", "already signed")
    # Only a refusal carries a field: anything else is shown as it is.
    assert split_refusal(Exception("signature: already signed")) == (
        None, "signature: already signed")


# -- the app ------------------------------------------------------------------------------------

def test_the_app_opens_clicked_events_and_refreshes_the_calendar_after_a_save(
        tp: Sample) -> None:
    app = create_app(tp.db, tp.ann, tp.clock)
    assert isinstance(app, SchedulerApp)
    app.calendar.request = NewEvent(datetime(2026, 6, 1, 14, 0))
    fill_session(app.editor, tp)
    click(app.editor.save_details)
    assert len(app.calendar.events) == 1
    event_id = int(app.calendar.events["event_id"].iloc[0])
    assert app.calendar.selected == event_id
    app.calendar.request = OpenEvent(event_id)
    assert app.editor.record.id == event_id
    assert app.calendar.events["dot_details"].tolist() == [True]


def test_an_event_link_opens_that_event_in_its_week(tp: Sample) -> None:
    event_id = tp.create(start=datetime(2026, 6, 10, 9, 0), end=datetime(2026, 6, 10, 9, 50))
    app = SchedulerApp(practice=tp.practice, actor=tp.ann, event_id=event_id)
    assert app.calendar.week == date(2026, 6, 8)
    assert app.editor.record.id == event_id


def test_a_clinician_downloads_their_own_calendar_from_this_week_on(tp: Sample) -> None:
    import icalendar

    last_week = tp.create(start=datetime(2026, 5, 27, 9, 0), end=datetime(2026, 5, 27, 9, 50))
    this_week = tp.create(start=datetime(2026, 6, 3, 9, 0), end=datetime(2026, 6, 3, 9, 50))
    bens = tp.create(tp.ben, clinician_id=tp.ben.clinician_id,
                     start=datetime(2026, 6, 4, 9, 0), end=datetime(2026, 6, 4, 9, 50))
    app = create_app(tp.db, tp.ann, tp.clock)
    button = app.download.button
    assert button.visible and button.label == "Download my calendar (.ics)"
    assert button.filename.endswith("-calendar.ics")
    calendar = icalendar.Calendar.from_ical(app.download.calendar_file().getvalue())
    uids = [str(ev["uid"]) for ev in calendar.walk("VEVENT")]
    assert len(uids) == 1 and uids[0].startswith(f"event-{this_week}-")
    assert not any(u.startswith((f"event-{last_week}-", f"event-{bens}-")) for u in uids)
    assert not create_app(tp.db, tp.manager, tp.clock).download.button.visible


def test_series_helpers_match_the_core(tp: Sample) -> None:
    ed = editor_for(tp)
    ed.new(datetime(2026, 6, 1, 9, 0))
    ed.details.repeat.value = 2
    ed.details.ends.value = "until"
    ed.details.until.value = date(2026, 7, 1)
    assert ed.details.recurrence() == Recurrence(2, until=date(2026, 7, 1))
    assert ed.details.count.visible is False and ed.details.until.visible


def test_book_an_event_opens_a_form_at_the_next_quarter_hour(tp: Sample) -> None:
    app = create_app(tp.db, tp.ann, tp.clock)  # Monday 1 June, 08:00 in London
    click(app.editor.book)
    assert app.editor.is_open and app.editor.record is None
    assert app.editor.details.day.value == MONDAY
    assert app.editor.details.start.value == "09:00"  # before the working day: its start
    click(app.calendar._next)
    click(app.editor.close_button)
    click(app.editor.book)
    assert app.editor.details.day.value == date(2026, 6, 8)


def test_a_signed_sessions_steps_say_why_they_are_read_only(tp: Sample) -> None:
    event_id = _signed(tp)
    ed = editor_for(tp)
    ed.open(event_id, Step.DETAILS)
    assert "details and time stay as they are" in ed._step_note.object
    ed.steps.value = Step.PLAN.value
    assert "kept as amendments" in ed._step_note.object
    ed.steps.value = Step.OUTCOME.value
    assert not ed._step_note.visible


def test_the_slot_being_booked_is_outlined_until_the_event_is_saved(tp: Sample) -> None:
    app = create_app(tp.db, tp.ann, tp.clock)
    app.calendar.request = NewEvent(datetime(2026, 6, 2, 14, 0))
    assert app.calendar.draft == (datetime(2026, 6, 2, 14, 0), datetime(2026, 6, 2, 14, 50))
    fill_session(app.editor, tp)
    click(app.editor.save_details)
    assert app.calendar.draft is None and app.calendar.selected == app.editor.record.id


def test_an_event_fills_the_step_it_opens_on_and_each_other_step_when_shown(
        tp: Sample) -> None:
    group = tp.create(client_ids=(tp.clients[0], tp.clients[1]))
    tp.clock.advance(timedelta(hours=3))
    p = tp.practice
    p.save_outcome(tp.ann, group, tp.version(group),
                   OutcomeChange.of(attendance={tp.clients[0]: "attended",
                                                tp.clients[1]: "no_show"}, note="Both"))
    ed = editor_for(tp)
    ed.open(group, Step.PLAN)
    assert not ed.outcome._marks  # the Outcome step is not filled yet...
    assert ed.outcome.sign.visible and "plan" in ed.outcome.sign_reason.object.lower()
    assert "outcome" not in ed.outcome.sign_reason.object.lower()  # ...its state is the record's
    ed.steps.value = Step.OUTCOME.value
    assert {c: w.value for c, w in ed.outcome._marks.items()} == {
        tp.clients[0]: "attended", tp.clients[1]: "no_show"}
    assert ed.outcome.note.value == "Both"
    ed.steps.value = Step.DETAILS.value
    assert ed.details.clients.value == [tp.clients[0], tp.clients[1]]


def test_opening_another_session_relabels_the_rows_it_does_not_replace_them(
        tp: Sample) -> None:
    group = tp.create(client_ids=(tp.clients[0], tp.clients[1]))
    single = tp.create(client_ids=(tp.clients[2],), start=datetime(2026, 6, 2, 10, 0),
                       end=datetime(2026, 6, 2, 10, 50))
    ed = editor_for(tp)
    ed.open(group, Step.OUTCOME)
    ed.steps.value = Step.DETAILS.value
    attendance = list(ed.outcome._attendance.objects)
    reminders = list(ed.details.reminder_rows._shown.objects)
    channel, _ = ed.details.reminder_rows.rows[("client", tp.clients[1])]
    assert channel.label == "Remind Dan Dale"
    ed.open(single, Step.OUTCOME)
    ed.steps.value = Step.DETAILS.value
    assert list(ed.outcome._attendance.objects) == attendance
    assert list(ed.details.reminder_rows._shown.objects) == reminders
    [select] = ed.outcome._marks.values()
    assert select.label == "Eve Ely" and select.value is None
    assert [row.visible for row in reminders] == [True, False]
    assert list(ed.details.reminder_rows.rows) == [("client", tp.clients[2])]
