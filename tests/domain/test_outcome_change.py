"""The typed change of step 3: parsed once, bad input named by field."""

import pytest

from thera_analytics.domain.attendance import Attendance, SessionStatus
from thera_analytics.domain.errors import ValidationError
from thera_analytics.domain.outcome_change import UNCHANGED, OutcomeChange


def test_raw_values_are_parsed_once_into_typed_fields():
    change = OutcomeChange.of(attendance={"3": "no show"}, status="On hold", note="n\x01",
                              reasons={3: ("other", "flat tyre")})
    assert change.attendance == {3: Attendance.NO_SHOW}
    assert change.status is SessionStatus.ON_HOLD
    reason = change.reasons[3]
    assert reason is not None and reason.code == "other" and reason.text == "flat tyre"
    assert not change.empty


def test_only_what_is_given_changes():
    change = OutcomeChange()
    assert change.empty and change.status is UNCHANGED and change.note is None
    assert not OutcomeChange.of(status=None).empty  # "Not marked" clears the status
    assert not OutcomeChange(homework_enabled=False).empty


@pytest.mark.parametrize(("raw", "field"), [
    ({"attendance": {1: "sometimes"}}, "attendance"),
    ({"attendance": {"ann": "attended"}}, "attendance"),
    ({"status": "finished"}, "status"),
    ({"note": "a\x00b"}, "note"),
    ({"homework": "x" * 20_001}, "homework"),
    ({"homework_shared": "yes"}, "homework_shared"),
    ({"reasons": {2: 42}}, "reason_2"),
])
def test_bad_input_names_its_field(raw, field):
    with pytest.raises(ValidationError) as err:
        OutcomeChange.of(**raw)
    assert err.value.field == field


def test_the_change_cannot_be_altered_after_it_is_built():
    change = OutcomeChange.of(attendance={1: "attended"})
    with pytest.raises(AttributeError):
        change.note = "x"  # type: ignore[misc]
    with pytest.raises(TypeError):
        change.attendance[1] = None  # type: ignore[index]
