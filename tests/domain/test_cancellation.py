"""The cancellation rule: which marks need a reason, what a reason must carry (no database)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from thera_analytics.domain.attendance import Attendance
from thera_analytics.domain.cancellation import (
    CancellationReason,
    ReasonEntry,
    check_marks_reasons,
    check_reason,
    notice_bucket,
    notice_hours,
    reason_code,
    reason_needed,
)
from thera_analytics.domain.errors import ValidationError

NOW = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
LIST = {"forgot": ReasonEntry("forgot", "Forgot"),
        "other": ReasonEntry("other", "Other", needs_text=True),
        "strike": ReasonEntry("strike", "Strike", retired_at=datetime(2026, 5, 1, tzinfo=UTC))}


def _field(call) -> str | None:
    with pytest.raises(ValidationError) as err:
        call()
    return err.value.field


def test_cancelled_and_late_need_a_reason_no_show_may_take_one():
    assert reason_needed(Attendance.CANCELLED) and reason_needed(Attendance.LATE_CANCELLATION)
    assert not reason_needed(Attendance.NO_SHOW) and not reason_needed(Attendance.ATTENDED)
    assert not reason_needed(None)
    check_marks_reasons({1: Attendance.NO_SHOW}, {}, LIST, NOW)
    check_marks_reasons({1: Attendance.NO_SHOW}, {1: CancellationReason("forgot")}, LIST, NOW)
    assert _field(lambda: check_marks_reasons({1: Attendance.CANCELLED}, {}, LIST, NOW)) \
        == "reason_1"
    assert _field(lambda: check_marks_reasons(
        {2: Attendance.ATTENDED}, {2: CancellationReason("forgot")}, LIST, NOW)) == "reason_2"


def test_a_reason_is_on_the_list_not_retired_and_other_carries_words():
    check_reason(CancellationReason("forgot"), LIST, NOW, required=True)
    check_reason(None, LIST, NOW, required=False)
    assert _field(lambda: check_reason(None, LIST, NOW, required=True)) == "reason"
    assert _field(lambda: check_reason(CancellationReason("nope"), LIST, NOW,
                                       required=True)) == "reason"
    assert _field(lambda: check_reason(CancellationReason("strike"), LIST, NOW,
                                       required=True)) == "reason"
    # Retired later than "now": still on offer then.
    check_reason(CancellationReason("strike"), LIST, datetime(2026, 4, 1, tzinfo=UTC),
                 required=True)
    assert _field(lambda: check_reason(CancellationReason("other"), LIST, NOW,
                                       required=True)) == "reason_text"
    check_reason(CancellationReason("other", "Snowed in"), LIST, NOW, required=True)


def test_parsing_a_reason():
    assert CancellationReason.parse("forgot") == CancellationReason("forgot")
    assert CancellationReason.parse(("other", "  Snow ")) == CancellationReason("other", "Snow")
    assert CancellationReason.parse({"code": "other", "text": "x"}) == \
        CancellationReason("other", "x")
    assert CancellationReason.parse("") is None and CancellationReason.parse(None) is None
    assert _field(lambda: CancellationReason.parse(("other", "x" * 501))) == "reason_text"
    assert _field(lambda: CancellationReason.parse(42)) == "reason"  # type: ignore[arg-type]


def test_codes_and_notice():
    assert reason_code("  Car broke down! ") == "car_broke_down"
    assert _field(lambda: reason_code("!!")) == "label"
    start = datetime(2026, 6, 2, 9, 0, tzinfo=UTC)
    assert notice_hours(NOW, start) == 24
    assert [notice_bucket(h) for h in (-1, 0, 23.9, 24, 47.9, 48, 167, 168, 500)] == [
        "After the start", "Under 24 h", "Under 24 h", "24–48 h", "24–48 h", "2–7 days",
        "2–7 days", "Over 7 days", "Over 7 days"]
