import pytest

from thera_analytics.domain.attendance import Attendance, SessionStatus
from thera_analytics.domain.errors import ValidationError
from thera_analytics.domain.kinds import CLIENT_KINDS, NON_CLIENT_KINDS, EventKind
from thera_analytics.domain.palette import EDGE, FILL, TEXT, ColourFamily, contrast_ratio


def test_ten_kinds_six_client_four_non_client():
    assert len(EventKind) == 10
    assert len(CLIENT_KINDS) == 6 and len(NON_CLIENT_KINDS) == 4


@pytest.mark.parametrize(
    ("label", "family"),
    [
        ("Client session", "blue"),
        ("Video session", "pink"),
        ("Phone session", "blue"),
        ("Home/community visit", "blue"),
        ("Group session", "blue"),
        ("Client team meeting", "purple"),
        ("Team meeting", "purple"),
        ("Professional development", "peach"),
        ("Admin", "peach"),
        ("Personal/leave", "peach"),
    ],
)
def test_each_kind_has_the_colour_family_of_the_spec(label, family):
    assert EventKind.parse(label).colour_family == family


def test_unknown_kind_is_refused_naming_the_field():
    with pytest.raises(ValidationError) as err:
        EventKind.parse("Yoga")
    assert err.value.field == "kind"


def test_labels_are_readable_on_every_fill_colour():
    for family in ColourFamily:
        assert contrast_ratio(TEXT, FILL[family]) >= 4.5, family
        assert contrast_ratio(FILL[family], EDGE[family]) >= 2.0, family


def test_fill_colours_are_distinct_enough_to_tell_apart():
    fills = list(FILL.values())
    assert len(set(fills)) == 4


@pytest.mark.parametrize(
    ("value", "billable"),
    [
        ("Attended", True),
        ("Cancelled", False),
        ("Late cancellation", True),
        ("No show", True),
        ("Non-billable", False),
    ],
)
def test_billing_effect_of_attendance(value, billable):
    assert Attendance.parse(value).billable is billable


def test_bad_attendance_and_status_values_name_the_field():
    with pytest.raises(ValidationError) as err:
        Attendance.parse("maybe")
    assert err.value.field == "attendance"
    with pytest.raises(ValidationError) as err:
        SessionStatus.parse("done-ish")
    assert err.value.field == "status"
