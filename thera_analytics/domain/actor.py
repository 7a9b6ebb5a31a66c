"""Who is acting: a signed-in user with a role."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    CLINICIAN = "clinician"
    MANAGER = "manager"
    CLIENT = "client"


@dataclass(frozen=True)
class Actor:
    user_id: int | None
    role: Role
    display_name: str
    clinician_id: int | None = None
    client_id: int | None = None

    @property
    def is_clinician(self) -> bool:
        return self.role is Role.CLINICIAN

    @property
    def is_manager(self) -> bool:
        return self.role is Role.MANAGER
