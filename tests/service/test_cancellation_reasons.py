"""Cancelling needs a reason from the manager's list; each cancellation is recorded, append-only."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.factories import table_contents
from thera_analytics.domain.errors import PermissionDenied, ValidationError


def _rows(tp, event_id):
    return tp.db.cursor().execute(
        "SELECT client_id, kind, reason_code, reason_text, notice_minutes, recorded_by"
        " FROM cancellations WHERE event_id = ? ORDER BY id", [event_id]).fetchall()


def _refused(tp, call, field):
    before = table_contents(tp.db)
    with pytest.raises(ValidationError) as err:
        call()
    assert err.value.field == field
    assert table_contents(tp.db) == before
    return err.value


def test_the_list_is_seeded_with_other_needing_text(tp):
    reasons = tp.practice.cancellation_reasons()
    codes = reasons["code"].tolist()
    for code in ("client_illness", "clinician_illness", "transport", "forgot", "clash",
                 "weather", "other"):
        assert code in codes
    assert reasons.set_index("code").loc["other", "needs_text"]
    assert codes[-1] == "other"


def test_cancelling_a_client_event_needs_a_reason_and_records_it(tp):
    event_id = tp.create()
    version = tp.version(event_id)
    _refused(tp, lambda: tp.practice.cancel(tp.ann, event_id, version), "reason")
    _refused(tp, lambda: tp.practice.cancel(tp.ann, event_id, version, reason="gremlins"),
             "reason")
    _refused(tp, lambda: tp.practice.cancel(tp.ann, event_id, version, reason="other"),
             "reason_text")
    tp.practice.cancel(tp.ann, event_id, version, reason=("other", "Roof leak at the clinic"))
    # 1 June 09:00 London is 08:00 UTC... the session starts 10:00 London = 09:00 UTC; the
    # clock stands at 07:00 UTC: two hours' notice.
    assert _rows(tp, event_id) == [(None, "event", "other", "Roof leak at the clinic", 120,
                                    tp.ann.user_id)]


def test_a_non_client_event_cancels_without_a_reason(tp):
    from thera_analytics.domain.kinds import EventKind
    event_id = tp.create(kind=EventKind.ADMIN, service_id=None, client_ids=(), direct=None,
                         title="Paperwork")
    tp.practice.cancel(tp.ann, event_id, tp.version(event_id))
    assert _rows(tp, event_id) == []


def test_a_series_cancellation_records_each_session(tp):
    from thera_analytics.domain.recurrence import Recurrence
    ids = tp.practice.create_event(tp.ann, tp.details(), repeat=Recurrence(1, count=3))
    tp.practice.cancel(tp.ann, ids[1], tp.version(ids[1]), scope="following", reason="weather")
    assert [len(_rows(tp, i)) for i in ids] == [0, 1, 1]
    assert _rows(tp, ids[2])[0][4] == _rows(tp, ids[1])[0][4] + 7 * 24 * 60


def test_marking_cancelled_or_late_needs_a_reason_no_show_may_take_one(tp):
    event_id = tp.create()
    cara = tp.clients[0]
    v = tp.version(event_id)
    for mark in ("cancelled", "late_cancellation"):
        _refused(tp, lambda m=mark: tp.practice.record_attendance(tp.ann, event_id, v,
                                                                  {cara: m}), f"reason_{cara}")
    _refused(tp, lambda: tp.practice.record_attendance(
        tp.ann, event_id, v, {cara: "attended"}, {cara: "forgot"}), f"reason_{cara}")
    v = tp.practice.record_attendance(tp.ann, event_id, v, {cara: "no_show"})
    tp.clock.advance(timedelta(hours=1))
    v = tp.practice.record_attendance(tp.ann, event_id, v, {cara: "late_cancellation"},
                                      {cara: "transport"})
    assert [r[:3] for r in _rows(tp, event_id)] == [
        (cara, "no_show", None), (cara, "late_cancellation", "transport")]
    assert _rows(tp, event_id)[1][4] == 60


def test_changing_a_cancellation_to_attended_is_recorded_as_withdrawn(tp):
    event_id = tp.create()
    cara = tp.clients[0]
    v = tp.practice.record_attendance(tp.ann, event_id, tp.version(event_id),
                                      {cara: "cancelled"}, {cara: "client_illness"})
    v = tp.practice.record_attendance(tp.ann, event_id, v, {cara: "attended"})
    assert [r[1:3] for r in _rows(tp, event_id)] == [
        ("cancelled", "client_illness"), ("withdrawn", None)]
    # A reason alone (the mark unchanged) is a change too, kept as a new row.
    v = tp.practice.record_attendance(tp.ann, event_id, v, {cara: "cancelled"},
                                      {cara: "forgot"})
    v2 = tp.practice.record_attendance(tp.ann, event_id, v, {}, {cara: "transport"})
    assert v2 == v + 1
    assert _rows(tp, event_id)[-1][1:3] == ("cancelled", "transport")


def test_the_manager_adds_and_retires_reasons_and_old_records_keep_them(tp):
    with pytest.raises(PermissionDenied):
        tp.practice.add_cancellation_reason(tp.ann, "Car broke down")
    code = tp.practice.add_cancellation_reason(tp.manager, "Car broke down")
    assert code == "car_broke_down"
    _refused(tp, lambda: tp.practice.add_cancellation_reason(tp.manager, "car broke DOWN"),
             "label")
    event_id = tp.create()
    tp.practice.cancel(tp.ann, event_id, tp.version(event_id), reason=code)
    tp.practice.retire_cancellation_reason(tp.manager, code)
    later = tp.create(start=tp.details().start + timedelta(days=1),
                      end=tp.details().end + timedelta(days=1))
    error = _refused(tp, lambda: tp.practice.cancel(tp.ann, later, tp.version(later),
                                                    reason=code), "reason")
    assert "retired" in str(error)
    assert _rows(tp, event_id)[0][2] == code
    listed = tp.practice.cancellation_reasons(include_retired=False)["code"].tolist()
    assert code not in listed and code in tp.practice.cancellation_reasons()["code"].tolist()
