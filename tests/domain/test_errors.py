"""A refusal carries the field it concerns and its message as attributes: a form reads them
and never takes the message text apart."""

import pytest

from dashboards.shared.feedback import split_refusal
from thera_analytics.domain.errors import ConflictError, PracticeError, ValidationError


def test_a_refusal_carries_its_field_and_message():
    err = ValidationError("note", "too long: at most 20,000 characters")
    assert (err.field, err.message) == ("note", "too long: at most 20,000 characters")
    assert str(err) == "note: too long: at most 20,000 characters"


def test_a_field_given_apart_is_kept_even_when_the_text_looks_like_another():
    err = PracticeError("start: 09:00 is taken", field="end")
    assert (err.field, err.message) == ("end", "start: 09:00 is taken")
    assert split_refusal(err) == ("end", "start: 09:00 is taken")


@pytest.mark.parametrize("err, field, message", [
    (PracticeError("clients[1]: unknown client"), "clients[1]", "unknown client"),
    (PracticeError("THERA_SMTP_PORT: not a number"), "THERA_SMTP_PORT", "not a number"),
    (PracticeError("this database has no practice yet: run `thera init`"), None,
     "this database has no practice yet: run `thera init`"),
    (ConflictError(7, 1, 2), "version", ConflictError(7, 1, 2).message),
])
def test_a_one_text_refusal_names_its_field_when_it_is_made(err, field, message):
    assert (err.field, err.message) == (field, message)
    assert split_refusal(err) == (field, message)


def test_anything_else_is_shown_whole():
    assert split_refusal(RuntimeError("disk: full")) == (None, "disk: full")
