"""The HTML week without a browser: what each event says; drags through the reschedule use case."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pandas as pd
import pytest

from dashboards.scheduler.app import SchedulerApp, create_app
from dashboards.scheduler.calendar import hour_range
from dashboards.scheduler.week_feed import week_items
from dashboards.shared.labels import done_text
from tests.factories import TestPractice as Sample
from tests.factories import make_practice
from thera_analytics.domain import palette
from thera_analytics.domain.palette import ColourFamily
from thera_analytics.domain.recurrence import Recurrence
from thera_analytics.domain.steps import Step

MONDAY = date(2026, 6, 1)


@pytest.fixture
def tp() -> Sample:
    return make_practice()


def _frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    base = {"event_id": 1, "version": 3, "event_group": "client", "colour_family": "blue",
            "kind_label": "Client session", "title": "", "duration_minutes": 50,
            "direct": True, "client_names": "Cara Cole", "attendance": "-", "status": None,
            "signed_at": None, "dot_details": True, "dot_plan": False, "dot_outcome": False,
            "local_start": datetime(2026, 6, 1, 10, 0)}
    return pd.DataFrame([{**base, **r} for r in rows])


# -- what each event says --------------------------------------------------------------------------

def test_each_event_is_announced_with_kind_clients_time_and_what_is_done() -> None:
    [item] = week_items(_frame([{"kind_label": "Video session", "colour_family": "pink",
                                 "client_names": "Cara Cole, Dan Dale", "attendance": "attended,-",
                                 "dot_plan": True}]))
    assert item["extendedProps"]["label"] == (
        "Video session, direct, Cara Cole, Dan Dale, Monday 1 June, 10:00 to 10:50, "
        "details saved, plan saved, outcome to do, Cara Cole: Attended")
    assert item["start"] == "2026-06-01T10:00" and item["end"] == "2026-06-01T10:50"
    assert item["backgroundColor"] == palette.FILL[ColourFamily.PINK]
    assert item["extendedProps"]["version"] == 3


def test_marks_carry_a_letter_beside_their_colour_and_unmarked_clients_say_so() -> None:
    [group, indirect] = week_items(_frame([
        {"client_names": "Cara Cole, Dan Dale, Eve Ely",
         "attendance": "attended,no_show,late_cancellation"},
        {"event_id": 2, "direct": False, "status": "on_hold"},
    ]))
    assert [m["letter"] for m in group["extendedProps"]["marks"]] == ["A", "N", "L"]
    assert group["extendedProps"]["marks"][1]["colour"] == palette.ATTENDANCE["no_show"]
    assert [m["text"] for m in indirect["extendedProps"]["marks"]] == ["Status: On hold"]
    [unmarked] = week_items(_frame([{}]))
    assert unmarked["extendedProps"]["marks"][0]["text"] == "Cara Cole: not marked"


def test_the_dots_are_told_in_words_and_non_client_events_carry_none() -> None:
    assert done_text((True, False, False)) == "details saved, plan to do, outcome to do"
    [admin] = week_items(_frame([{"event_group": "non_client", "kind_label": "Admin",
                                  "colour_family": "peach", "title": "Reports",
                                  "client_names": "", "attendance": "", "direct": None}]))
    assert admin["extendedProps"]["label"] == "Admin, Reports, Monday 1 June, 10:00 to 10:50"
    assert admin["extendedProps"]["marks"] == [] and not admin["extendedProps"]["client"]


def test_a_signed_session_cannot_be_dragged() -> None:
    [signed, unsigned] = week_items(_frame([
        {"signed_at": pd.Timestamp("2026-06-01 12:00", tz="UTC")},
        {"event_id": 2}]))
    assert signed["editable"] is False and unsigned["editable"] is True


def test_the_open_event_is_outlined_without_sending_the_week_again(tp: Sample) -> None:
    event_id = tp.create()
    app = create_app(tp.db, tp.ann, tp.clock)
    app.calendar.week = MONDAY
    events = app.calendar.grid.events
    assert app.calendar.grid.selected == ""
    app.calendar.grid._handle_msg({"type": "open", "id": str(event_id)})
    assert app.calendar.grid.selected == str(event_id)
    assert app.calendar.grid.events is events  # the week is not redrawn to outline one event
    app.editor.close()
    assert app.calendar.grid.selected == ""


def test_the_day_widens_to_fit_early_and_late_events() -> None:
    assert hour_range(_frame([{}]).iloc[:0]) == (8, 18)
    frame = _frame([{"local_start": datetime(2026, 6, 1, 6, 30)},
                    {"event_id": 2, "local_start": datetime(2026, 6, 2, 19, 30)}])
    assert hour_range(frame) == (6, 21)


# -- drag to move and resize ---------------------------------------------------------------

class Browser:
    """What the app told the week's browser side (a drag saved or to be put back)."""

    def __init__(self, app: SchedulerApp) -> None:
        self.sent: list[dict[str, Any]] = []
        app.calendar.grid._send_msg = self.sent.append  # type: ignore[method-assign]


def drag(app: SchedulerApp, event_id: int, version: int, start: datetime,
         end: datetime) -> None:
    app.calendar.grid._handle_msg({
        "type": "move", "req": "move-1", "id": str(event_id), "version": version,
        "start": start.isoformat() + "Z", "end": end.isoformat() + "Z"})


def test_a_dragged_session_is_rescheduled_and_its_week_redrawn(tp: Sample) -> None:
    event_id = tp.create()
    app = create_app(tp.db, tp.ann, tp.clock)
    browser = Browser(app)
    drag(app, event_id, tp.version(event_id), datetime(2026, 6, 2, 14, 0),
         datetime(2026, 6, 2, 15, 0))
    assert browser.sent[-1]["ok"] is True and browser.sent[-1]["req"] == "move-1"
    rec = tp.practice.event(tp.ann, event_id)
    assert rec.end - rec.start == timedelta(hours=1)
    [item] = app.calendar.grid.events
    assert (item["start"], item["end"]) == ("2026-06-02T14:00", "2026-06-02T15:00")
    assert "Moved to Tue 2 Jun 14:00–15:00" in app.moves.text


def test_a_drag_over_someone_elses_newer_save_is_refused_and_put_back(tp: Sample) -> None:
    event_id = tp.create()
    app = create_app(tp.db, tp.ann, tp.clock)
    browser = Browser(app)
    stale = tp.version(event_id)
    tp.practice.save_plan(tp.ann, event_id, stale, "Saved elsewhere first")
    drag(app, event_id, stale, datetime(2026, 6, 2, 14, 0), datetime(2026, 6, 2, 14, 50))
    assert browser.sent[-1]["ok"] is False
    assert "Not moved" in app.moves.text
    assert tp.practice.week(tp.ann, MONDAY)["local_start"].tolist() == [
        pd.Timestamp(2026, 6, 1, 10, 0)]


def test_a_drag_onto_another_event_asks_before_moving_anyway(tp: Sample) -> None:
    first = tp.create()
    second = tp.create(start=datetime(2026, 6, 1, 14, 0), end=datetime(2026, 6, 1, 14, 50))
    app = create_app(tp.db, tp.ann, tp.clock)
    browser = Browser(app)
    drag(app, second, tp.version(second), datetime(2026, 6, 1, 10, 15),
         datetime(2026, 6, 1, 11, 5))
    assert browser.sent == [] and app.moves.pending
    assert "overlaps 1 other event" in app.moves.text
    app.moves.anyway.clicks += 1
    assert browser.sent[-1]["ok"] is True
    moved = tp.practice.event(tp.ann, second)
    assert moved.start != tp.practice.event(tp.ann, first).start
    assert app.calendar.grid.events[1]["start"] == "2026-06-01T10:15"


def test_putting_a_clashing_drag_back_leaves_the_session_where_it_was(tp: Sample) -> None:
    tp.create()
    second = tp.create(start=datetime(2026, 6, 1, 14, 0), end=datetime(2026, 6, 1, 14, 50))
    app = create_app(tp.db, tp.ann, tp.clock)
    browser = Browser(app)
    version = tp.version(second)
    drag(app, second, version, datetime(2026, 6, 1, 10, 15), datetime(2026, 6, 1, 11, 5))
    app.moves.put_back.clicks += 1
    assert browser.sent[-1]["ok"] is False
    assert tp.version(second) == version


def test_a_dragged_series_session_asks_this_one_or_this_and_following(tp: Sample) -> None:
    ids = tp.practice.create_event(tp.ann, tp.details(), repeat=Recurrence(1, count=3))
    app = create_app(tp.db, tp.ann, tp.clock)
    browser = Browser(app)
    drag(app, ids[0], tp.version(ids[0]), datetime(2026, 6, 1, 15, 0),
         datetime(2026, 6, 1, 15, 50))
    assert app.moves.pending and "following sessions of the series" in app.moves.text
    app.moves.following.clicks += 1
    assert browser.sent[-1]["ok"] is True
    for week in (0, 1, 2):
        frame = tp.practice.week(tp.ann, MONDAY + timedelta(weeks=week))
        assert frame["local_start"].dt.hour.tolist() == [15]


def test_a_drag_of_a_signed_session_is_refused_by_the_core(tp: Sample) -> None:
    event_id = tp.create()
    version = tp.practice.save_plan(tp.ann, event_id, tp.version(event_id), "Plan")
    tp.clock.set(datetime(2026, 6, 1, 11, 0, tzinfo=tp.clock().tzinfo))
    version = tp.practice.record_attendance(tp.ann, event_id, version,
                                            {tp.clients[0]: "attended"})
    version = tp.practice.sign(tp.ann, event_id, version)
    app = create_app(tp.db, tp.ann, tp.clock)
    browser = Browser(app)
    drag(app, event_id, version, datetime(2026, 6, 2, 10, 0), datetime(2026, 6, 2, 10, 50))
    assert browser.sent[-1]["ok"] is False and "signed" in browser.sent[-1]["message"]
    assert tp.version(event_id) == version


def test_escape_closes_the_editor_and_gives_focus_back_to_the_event(tp: Sample) -> None:
    event_id = tp.create()
    app = create_app(tp.db, tp.ann, tp.clock)
    browser = Browser(app)
    app.calendar.grid._handle_msg({"type": "open", "id": str(event_id)})
    assert app.editor.is_open
    assert browser.sent[-1] == {"type": "focus-editor", "selector": ".thera-editor-head"}
    app.calendar.grid._handle_msg({"type": "escape"})
    assert not app.editor.is_open
    assert browser.sent[-1] == {"type": "focus", "id": str(event_id)}


def test_the_editor_is_built_when_first_needed_not_with_the_page(tp: Sample) -> None:
    event_id = tp.create()
    app = create_app(tp.db, tp.ann, tp.clock)
    assert app._editor is None
    app.calendar.grid._handle_msg({"type": "open", "id": str(event_id)})
    assert app._editor is not None and app.editor.record is not None



def test_the_editor_prepared_after_the_page_stays_hidden_until_a_session_is_opened(
        tp: Sample) -> None:
    event_id = tp.create()
    app = create_app(tp.db, tp.ann, tp.clock)
    app.prepare_editor()  # what the served page asks for once it has loaded
    assert app._editor is not None and not app._editor_box.visible
    assert app._placeholder.visible  # "Click an event to open it" is still what shows
    prepared = app._editor
    # Its frame only: each step's form goes into the page when the step is first shown.
    assert not any(panel.objects for panel in prepared._panels.values())
    app.calendar.grid._handle_msg({"type": "open", "id": str(event_id)})
    assert app.editor is prepared and app._editor_box.visible and not app._placeholder.visible
    assert app.editor.record is not None and app.editor.record.id == event_id
    shown = {step for step, panel in prepared._panels.items() if panel.objects}
    assert shown == {Step(prepared.steps.value)}
    prepared.steps.value = Step.DETAILS.value
    assert prepared._tab_details.objects and prepared.details.kind.value == "client_session"

# -- the practice week's table alternative --------------------------------------------------------

def test_the_practice_week_has_a_table_with_the_same_information_and_follows_filters() -> None:
    from dashboards.practice.context import PracticeContext
    from dashboards.practice.practice_week import PracticeWeek

    tp = make_practice()
    first = tp.create()
    tp.create(actor=tp.ben, clinician_id=tp.ben.clinician_id,
              start=datetime(2026, 6, 2, 9, 0), end=datetime(2026, 6, 2, 9, 50))
    context = PracticeContext(db=tp.db, actor=tp.manager, clock=tp.clock, week=MONDAY,
                              as_of=tp.clock())
    week = PracticeWeek(context=context)
    html = week._table.object
    assert "<details" in html and "(2 events)" in html
    assert "<td>Mon 1 Jun</td><td>10:00–10:50</td>" in html
    assert "details saved, plan to do, outcome to do" in html
    assert "Cara Cole: not marked" in html
    week.clinician_ids = [tp.ann.clinician_id]
    assert "(1 event)" in week._table.object
    assert "Ben" not in week._table.object and "Cara Cole" in week._table.object
    assert tp.practice.event(tp.ann, first) is not None


def test_the_view_toggle_follows_the_browsers_choice_without_fixing_it(tp: Sample) -> None:
    app = create_app(tp.db, tp.ann, tp.clock)
    cal = app.calendar
    cal.grid._handle_msg({"type": "view", "view": "agenda"})  # a narrow screen chose the list
    assert cal._view.value == "agenda" and cal.grid.view == "auto"
    cal._view.value = "week"  # the user's own choice sticks
    assert cal.grid.view == "week"
