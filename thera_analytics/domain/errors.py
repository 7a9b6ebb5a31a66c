"""Every refusal is a specific exception that names what was wrong."""

from __future__ import annotations


class PracticeError(Exception):
    """Base of every refusal raised by the rules, the store and the use cases.

    Messages start with the field they concern (``"note: ..."``); ``field`` gives it, so a form
    can show the message next to that field.
    """

    @property
    def field(self) -> str | None:
        head, sep, _ = str(self).partition(":")
        return head if sep and head.replace("_", "").isalnum() else None


class ValidationError(PracticeError, ValueError):
    """A field has a bad value; ``field`` names it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.message = message


class NotFoundError(PracticeError, LookupError):
    """A referenced record does not exist (unknown client, service, event...)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.message = message


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
