"""One function turns a stored value into the words every view shows."""

from thera_analytics.domain.actor import Role
from thera_analytics.domain.attendance import Attendance, SessionStatus
from thera_analytics.domain.kinds import EventKind
from thera_analytics.domain.labels import enum_label, field_label, value_label


def test_stored_values_read_as_their_labels():
    assert value_label("attendance", "late_cancellation") == "Late cancellation"
    assert value_label("attendance", "non_billable") == "Non-billable"
    assert value_label("attendance", Attendance.NO_SHOW) == "No show"
    assert value_label("status", "in_progress") == "In progress"
    assert value_label("kind", "home_visit") == "Home/community visit"
    assert value_label("role", "manager") == "Practice manager"
    assert value_label("recipient_kind", "third_party") == "Third party"
    assert value_label("homework_shared", "True") == "on"
    assert value_label("homework_enabled", False) == "off"
    assert value_label("direct", True) == "direct"


def test_nothing_marked_and_unknown_values_read_plainly():
    assert value_label("attendance", None) == "Not marked"
    assert value_label("status", "") == "Not marked"
    assert value_label("note", None) == "—"
    assert value_label("note", "As planned") == "As planned"
    assert value_label("attendance", "something_else") == "something_else"


def test_every_enum_value_has_a_label_without_underscores():
    for enum in (Attendance, SessionStatus, EventKind, Role):
        for member in enum:
            label = enum_label(member)
            assert "_" not in label and label[:1].isupper(), (member, label)


def test_fields_read_as_the_editor_names_them():
    assert field_label("homework_shared") == "Homework shared"
    assert field_label("plan_text") == "Plan"
    assert field_label("note") == "Session note"
