"""Who may read, change and comment on a record: pure rules, no database."""

from datetime import UTC, datetime

import pytest

from thera_analytics.domain.actor import Actor, Role
from thera_analytics.domain.kinds import EventKind
from thera_analytics.domain.permissions import can_change, can_comment, can_read, is_owner
from thera_analytics.domain.record import ClientMark, EventRecord

OWNER = Actor(1, Role.CLINICIAN, "Ann", clinician_id=10)
TEAM = Actor(2, Role.CLINICIAN, "Ben", clinician_id=20)
OTHER = Actor(3, Role.CLINICIAN, "Cy", clinician_id=30)
MANAGER = Actor(4, Role.MANAGER, "Rosa")
CLIENT = Actor(5, Role.CLIENT, "Dan", client_id=7)
TEAM_IDS = (20,)


@pytest.mark.parametrize(("actor", "read", "change", "comment"), [
    (OWNER, True, True, True),
    (TEAM, True, False, True),
    (MANAGER, True, False, True),
    (OTHER, False, False, False),
    (CLIENT, False, False, False),
], ids=["owner", "team member", "manager", "other clinician", "client"])
def test_who_may_read_change_and_comment(actor: Actor, read: bool, change: bool,
                                         comment: bool) -> None:
    assert can_read(actor, 10, TEAM_IDS) is read
    assert can_change(actor, 10) is change
    assert is_owner(actor, 10) is change
    assert can_comment(actor, 10, TEAM_IDS) is comment


def test_a_clinician_id_alone_does_not_make_a_manager_the_owner() -> None:
    manager_with_id = Actor(6, Role.MANAGER, "Mo", clinician_id=10)
    assert not can_change(manager_with_id, 10)


def test_the_record_type_lives_in_the_domain_and_derives_its_dots() -> None:
    start = datetime(2026, 5, 4, 9, tzinfo=UTC)
    rec = EventRecord(id=1, version=1, kind=EventKind.CLIENT_SESSION, clinician_id=10,
                      clinician_name="Ann", title="", start=start, end=start, local_start=start,
                      service_id=1, service_name="Therapy", direct=True, video_link=None,
                      series_id=None, cancelled_at=None,
                      clients=(ClientMark(7, "Dan", None),))
    assert rec.client_ids == (7,)
    dots = rec.dots
    assert dots is not None and dots.details and not dots.plan and not dots.outcome
