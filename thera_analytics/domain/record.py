"""One event's whole record as the editor and the rules see it: details, clients' marks, plan,
outcome, signature, amendments and comments."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from thera_analytics.domain.attendance import Attendance, SessionStatus
from thera_analytics.domain.details import ReminderRequest
from thera_analytics.domain.dots import Completion, Dots, completion_of, outcome_marked
from thera_analytics.domain.kinds import EventKind
from thera_analytics.domain.signing import amendable_until, can_amend
from thera_analytics.domain.steps import Step, next_step


@dataclass(frozen=True)
class ClientMark:
    client_id: int
    name: str
    attendance: Attendance | None


@dataclass(frozen=True)
class Amendment:
    field: str
    client_id: int | None
    previous_value: str | None
    new_value: str | None
    amended_by: str
    amended_at: datetime


@dataclass(frozen=True)
class Comment:
    author: str
    created_at: datetime
    body: str


@dataclass(frozen=True)
class EventRecord:
    """Everything the editor shows for one event."""

    id: int
    version: int
    kind: EventKind
    clinician_id: int
    clinician_name: str
    title: str
    start: datetime
    end: datetime
    local_start: datetime
    service_id: int | None
    service_name: str | None
    direct: bool | None
    video_link: str | None
    series_id: int | None
    cancelled_at: datetime | None
    clients: tuple[ClientMark, ...] = ()
    team_member_ids: tuple[int, ...] = ()
    third_party_ids: tuple[int, ...] = ()
    reminders: tuple[ReminderRequest, ...] = ()
    plan_text: str | None = None
    previous_homework: str | None = None
    previous_note: str | None = None
    plan_saved_at: datetime | None = None
    status: SessionStatus | None = None
    note: str = ""
    homework: str = ""
    homework_enabled: bool = False
    homework_shared: bool = False
    signed_at: datetime | None = None
    signed_by: str | None = None
    signer_id: int | None = None  # the signer's user id (signed_by is their name)
    amendments: tuple[Amendment, ...] = field(default_factory=tuple)
    comments: tuple[Comment, ...] = field(default_factory=tuple)

    @property
    def client_ids(self) -> tuple[int, ...]:
        return tuple(c.client_id for c in self.clients)

    @property
    def is_client_event(self) -> bool:
        return self.kind.is_client_event

    @property
    def outcome_marked(self) -> bool:
        return outcome_marked(bool(self.direct), [c.attendance for c in self.clients], self.status)

    @property
    def dots(self) -> Dots | None:
        if not self.is_client_event:
            return None
        return self.completion.dots

    @property
    def completion(self) -> Completion:
        """The dots and completion instant kept on the event row (none for other events)."""
        if not self.is_client_event:
            return Completion.none()
        return completion_of(
            details_valid=self.service_id is not None and bool(self.clients),
            plan_saved_at=self.plan_saved_at,
            direct=bool(self.direct),
            attendance=[c.attendance for c in self.clients],
            status=self.status,
            signed_at=self.signed_at,
        )

    @property
    def next_step(self) -> Step:
        dots = self.dots
        return Step.DETAILS if dots is None else next_step(dots)

    def amendable(self, now: datetime) -> bool:
        return can_amend(self.signed_at, now)

    def locked(self, now: datetime) -> bool:
        return not can_amend(self.signed_at, now)

    def amendable_until(self) -> datetime | None:
        return None if self.signed_at is None else amendable_until(self.signed_at)
