"""Who may do what with an event's record: read it, change it, comment on it.

The owner (the clinician the event belongs to) changes it; the session's other clinicians
(its team) and managers read it and may comment; clients never read a whole record (it holds the
note and the plan, and in a group other clients): they see their sessions and shared homework
through ``service.portal``.
"""

from __future__ import annotations

from thera_analytics.domain.actor import Actor, Role


def is_owner(actor: Actor, clinician_id: int) -> bool:
    """The actor is the clinician who owns the event: the one who may change it."""
    return actor.role is Role.CLINICIAN and actor.clinician_id == clinician_id


def can_read(actor: Actor, clinician_id: int, team_ids: tuple[int, ...]) -> bool:
    """Managers read all; clinicians what they own or take part in."""
    if actor.role is Role.MANAGER:
        return True
    if actor.role is Role.CLINICIAN:
        return actor.clinician_id == clinician_id or actor.clinician_id in team_ids
    return False


def can_change(actor: Actor, clinician_id: int) -> bool:
    """Only the owner changes an event (details, plan, outcome, signature)."""
    return is_owner(actor, clinician_id)


def can_comment(actor: Actor, clinician_id: int, team_ids: tuple[int, ...]) -> bool:
    """Whoever may read a record may add a comment to it: the owner, the team, a manager."""
    return can_read(actor, clinician_id, team_ids)
