"""Every refusal is a specific exception that names what was wrong."""

from __future__ import annotations

import re

# The convention of refusals written as one text: "field: what is wrong" (a list's item as
# "clients[0]").
_FIELD_PREFIX = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*(?:\[\d+\])?):\s*(.*)$", re.DOTALL)


class PracticeError(Exception):
    """Base of every refusal raised by the rules, the store and the use cases.

    ``field`` names the field it concerns (None when it concerns none) and ``message`` says what
    is wrong without it, so a form shows the message next to that field. Give ``field``, or
    write the text as ``"field: message"`` and it is taken from there when the error is made.
    """

    field: str | None
    message: str

    def __init__(self, *args: object, field: str | None = None) -> None:
        super().__init__(*args)
        text = str(args[0]) if args else ""
        if field is None:
            match = _FIELD_PREFIX.match(text)
            if match:
                field, text = match.group(1), match.group(2)
        else:
            text = text.removeprefix(f"{field}: ")
        self.field = field
        self.message = text


class ValidationError(PracticeError, ValueError):
    """A field has a bad value; ``field`` names it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}", field=field)


class NotFoundError(PracticeError, LookupError):
    """A referenced record does not exist (unknown client, service, event...)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}", field=field)


class ConflictError(PracticeError):
    """Someone else saved first: the caller's ``version`` is stale."""

    def __init__(self, event_id: int, expected: int, actual: int) -> None:
        super().__init__(
            f"version: event {event_id} was changed by someone else (you had version {expected}, "
            f"it is now {actual}); reload it and apply your change again"
        )
        self.event_id = event_id
        self.expected = expected
        self.actual = actual


class LockedError(PracticeError):
    """The note was signed more than 24 hours ago: only comments may be added."""


class SigningError(PracticeError):
    """The note cannot be signed (already signed, outcome not marked, not the owner)."""


class PermissionDenied(PracticeError, PermissionError):
    """The acting user's role does not allow this."""
