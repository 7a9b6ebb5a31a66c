"""What a person reads for a stored value: one place turns ``late_cancellation`` into
"Late cancellation", ``homework_shared`` into "Homework shared", for every view."""

from __future__ import annotations

from enum import StrEnum

from thera_analytics.domain.actor import Role
from thera_analytics.domain.attendance import Attendance, SessionStatus
from thera_analytics.domain.details import Channel, RecipientKind
from thera_analytics.domain.kinds import EventGroup, EventKind
from thera_analytics.domain.steps import Step

ROLE_LABELS = {Role.CLINICIAN: "Clinician", Role.MANAGER: "Practice manager",
               Role.CLIENT: "Client"}
CHANNEL_LABELS = {Channel.EMAIL: "Email", Channel.BROWSER: "Browser"}
RECIPIENT_LABELS = {RecipientKind.CLIENT: "Client", RecipientKind.THIRD_PARTY: "Third party"}
GROUP_LABELS = {EventGroup.CLIENT: "Client event", EventGroup.NON_CLIENT: "Non-client event"}

# The fields a record stores (and amendments name), as the editor labels them.
FIELD_LABELS = {
    "attendance": "Attendance",
    "status": "Status",
    "note": "Session note",
    "homework": "Homework",
    "homework_enabled": "Homework enabled",
    "homework_shared": "Homework shared",
    "plan_text": "Plan",
    "previous_homework": "Previous homework",
    "previous_note": "Previous note",
    "kind": "Kind",
    "direct": "Client present",
    "role": "Role",
    "channel": "Channel",
    "recipient_kind": "Recipient",
    "step": "Step",
}

# What an audit row's action reads as in the Changes report.
ACTION_LABELS = {
    "create_event": "Booked",
    "update_details": "Details changed",
    "reschedule": "Moved",
    "cancel": "Cancelled",
    "save_plan": "Plan saved",
    "save_outcome": "Outcome recorded",
    "amend_outcome": "Amended",
    "sign": "Signed",
    "comment": "Comment added",
    "add_reason": "Reason added",
    "retire_reason": "Reason retired",
}

_ENUMS: dict[str, type[StrEnum]] = {
    "attendance": Attendance, "status": SessionStatus, "kind": EventKind, "role": Role,
    "channel": Channel, "recipient_kind": RecipientKind, "event_group": EventGroup,
    "step": Step,
}
_TABLES: dict[type[StrEnum], dict] = {
    Role: ROLE_LABELS, Channel: CHANNEL_LABELS, RecipientKind: RECIPIENT_LABELS,
    EventGroup: GROUP_LABELS,
}
_FLAGS = {"true": "on", "false": "off"}
NOT_MARKED = "Not marked"
EMPTY = "—"


def field_label(field: str) -> str:
    """The name a person reads for a stored field (``homework_shared`` → "Homework shared")."""
    return FIELD_LABELS.get(field, field.replace("_", " ").capitalize())


def action_label(action: str) -> str:
    """What a person reads for an audit action (``reschedule`` → "Moved")."""
    return ACTION_LABELS.get(action, action.replace("_", " ").capitalize())


def enum_label(value: StrEnum) -> str:
    """The label of any stored enum value."""
    table = _TABLES.get(type(value))
    if table is not None:
        return str(table[value])
    label = getattr(value, "label", None)
    return str(label) if label is not None else value.value.replace("_", " ").capitalize()


def value_label(field: str, value: object) -> str:
    """What a person reads for ``value`` stored in ``field``: enum values by their label,
    flags as on/off, nothing as "—" (or "Not marked" for attendance and status)."""
    if value is None or value == "":
        return NOT_MARKED if field in ("attendance", "status") else EMPTY
    if isinstance(value, StrEnum):
        return enum_label(value)
    if isinstance(value, bool):
        value = str(value)
    enum = _ENUMS.get(field)
    if enum is not None:
        try:
            return enum_label(enum(str(value)))
        except ValueError:
            return str(value)
    if field in ("homework_enabled", "homework_shared", "direct"):
        flag = _FLAGS.get(str(value).lower())
        if flag is not None:
            return ("direct" if flag == "on" else "indirect") if field == "direct" else flag
    return str(value)
