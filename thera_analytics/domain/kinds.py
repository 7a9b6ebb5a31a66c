"""The ten event kinds, their group (client or non-client) and colour family."""

from __future__ import annotations

from enum import StrEnum

from thera_analytics.domain.palette import ColourFamily


class EventGroup(StrEnum):
    CLIENT = "client"
    NON_CLIENT = "non_client"


class EventKind(StrEnum):
    CLIENT_SESSION = "client_session"
    VIDEO_SESSION = "video_session"
    PHONE_SESSION = "phone_session"
    HOME_VISIT = "home_visit"
    GROUP_SESSION = "group_session"
    CLIENT_TEAM_MEETING = "client_team_meeting"
    TEAM_MEETING = "team_meeting"
    PROFESSIONAL_DEVELOPMENT = "professional_development"
    ADMIN = "admin"
    PERSONAL_LEAVE = "personal_leave"

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def group(self) -> EventGroup:
        return _GROUPS[self]

    @property
    def is_client_event(self) -> bool:
        return self.group is EventGroup.CLIENT

    @property
    def colour_family(self) -> ColourFamily:
        return _COLOURS[self]

    @classmethod
    def parse(cls, value: str | EventKind) -> EventKind:
        """Accept a stored value (``video_session``) or a label (``Video session``)."""
        if isinstance(value, EventKind):
            return value
        text = str(value).strip()
        for kind in cls:
            if text == kind.value or text.lower() == kind.label.lower():
                return kind
        from thera_analytics.domain.errors import ValidationError

        raise ValidationError("kind", f"unknown event kind {text!r}")


_LABELS = {
    EventKind.CLIENT_SESSION: "Client session",
    EventKind.VIDEO_SESSION: "Video session",
    EventKind.PHONE_SESSION: "Phone session",
    EventKind.HOME_VISIT: "Home/community visit",
    EventKind.GROUP_SESSION: "Group session",
    EventKind.CLIENT_TEAM_MEETING: "Client team meeting",
    EventKind.TEAM_MEETING: "Team meeting",
    EventKind.PROFESSIONAL_DEVELOPMENT: "Professional development",
    EventKind.ADMIN: "Admin",
    EventKind.PERSONAL_LEAVE: "Personal/leave",
}

_CLIENT_KINDS = {
    EventKind.CLIENT_SESSION,
    EventKind.VIDEO_SESSION,
    EventKind.PHONE_SESSION,
    EventKind.HOME_VISIT,
    EventKind.GROUP_SESSION,
    EventKind.CLIENT_TEAM_MEETING,
}
_GROUPS = {k: EventGroup.CLIENT if k in _CLIENT_KINDS else EventGroup.NON_CLIENT for k in EventKind}

_COLOURS = {
    EventKind.CLIENT_SESSION: ColourFamily.BLUE,
    EventKind.VIDEO_SESSION: ColourFamily.PINK,
    EventKind.PHONE_SESSION: ColourFamily.BLUE,
    EventKind.HOME_VISIT: ColourFamily.BLUE,
    EventKind.GROUP_SESSION: ColourFamily.BLUE,
    EventKind.CLIENT_TEAM_MEETING: ColourFamily.PURPLE,
    EventKind.TEAM_MEETING: ColourFamily.PURPLE,
    EventKind.PROFESSIONAL_DEVELOPMENT: ColourFamily.PEACH,
    EventKind.ADMIN: ColourFamily.PEACH,
    EventKind.PERSONAL_LEAVE: ColourFamily.PEACH,
}

CLIENT_KINDS: tuple[EventKind, ...] = tuple(k for k in EventKind if k.is_client_event)
NON_CLIENT_KINDS: tuple[EventKind, ...] = tuple(k for k in EventKind if not k.is_client_event)
