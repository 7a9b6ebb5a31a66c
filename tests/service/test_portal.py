"""The client portal's reads: only this client's sessions, reminders and shared homework."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from thera_analytics.domain.details import ReminderRequest
from thera_analytics.domain.errors import NotFoundError, PermissionDenied
from thera_analytics.domain.kinds import EventKind
from thera_analytics.domain.outcome_change import OutcomeChange
from thera_analytics.service import accounts, portal
from thera_analytics.service.reminders import dispatch_due

NOTE = "Client disclosed family conflict"
PLAN = "Explore the conflict further"
LINK = "https://video.example.org/room/7"
NOW = datetime(2026, 6, 2, 12, 0, tzinfo=UTC)  # Tuesday 2 June 2026, 13:00 in London


def at(day: int, hour: int) -> dict[str, datetime]:
    return {"start": datetime(2026, 6, day, hour, 0), "end": datetime(2026, 6, day, hour, 50)}


def homework(tp, event_id, text, *, shared=True, enabled=True, note=""):
    tp.practice.save_outcome(tp.ann, event_id, tp.version(event_id), OutcomeChange.of(homework=text,
                             homework_enabled=enabled, homework_shared=shared, note=note))


@pytest.fixture
def portal_practice(tp):
    """Cara's and Dan's sessions: shared, unshared and other people's homework; a video call."""
    cara, dan, _ = tp.clients
    ids = {
        "first": tp.create(**at(1, 10)),
        "unshared": tp.create(**at(2, 9)),
        "dans": tp.create(client_ids=(dan,), **at(2, 11)),
        "latest": tp.create(**at(2, 10)),
        "group": tp.create(kind=EventKind.GROUP_SESSION, client_ids=(cara, dan), **at(3, 10)),
        "meeting": tp.create(kind=EventKind.CLIENT_TEAM_MEETING, direct=False, **at(3, 14)),
        "withdrawn": tp.create(**at(4, 10)),
        "video": tp.create(tp.ben, clinician_id=tp.ben.clinician_id,
                           kind=EventKind.VIDEO_SESSION, video_link=LINK, **at(5, 16)),
        "cancelled_by_client": tp.create(**at(8, 10)),
    }
    tp.practice.save_plan(tp.ann, ids["first"], tp.version(ids["first"]), PLAN)
    homework(tp, ids["first"], "Breathe slowly for ten minutes a day", note=NOTE)
    homework(tp, ids["latest"], "Keep a sleep diary")
    homework(tp, ids["unshared"], "Draft for next time", shared=False)
    homework(tp, ids["dans"], "Dan's reading list")
    homework(tp, ids["group"], "Practise the group exercise")
    tp.practice.cancel(tp.ann, ids["withdrawn"], tp.version(ids["withdrawn"]),
                       reason="clinician_illness")
    tp.practice.record_attendance(tp.ann, ids["cancelled_by_client"],
                                  tp.version(ids["cancelled_by_client"]), {cara: "cancelled"},
                                  {cara: "client_illness"})
    tp.extra.update(ids)
    return tp


def test_upcoming_sessions_are_the_clients_own_future_sessions_soonest_first(portal_practice):
    tp = portal_practice
    sessions = portal.upcoming_sessions(tp.db, tp.client_actor, NOW)

    assert [s.event_id for s in sessions] == [tp.extra["group"], tp.extra["video"]]
    video = sessions[1]
    assert (video.kind_label, video.clinician_name, video.video_link) == (
        "Video session", "Ben Brook", LINK)
    assert (f"{video.start:%a %d %b %H:%M %Z}", f"{video.end:%H:%M}") == (
        "Fri 05 Jun 16:00 BST", "16:50")


def test_a_session_in_progress_is_still_upcoming(portal_practice):
    tp = portal_practice
    during = datetime(2026, 6, 3, 9, 30, tzinfo=UTC)  # 10:30 London, group session until 10:50
    assert portal.upcoming_sessions(tp.db, tp.client_actor, during)[0].event_id == tp.extra[
        "group"]


def test_shared_homework_is_enabled_and_shared_on_the_clients_sessions_newest_first(
    portal_practice,
):
    tp = portal_practice
    items = portal.shared_homework(tp.db, tp.client_actor)

    assert [h.homework for h in items] == [
        "Practise the group exercise",
        "Keep a sleep diary",
        "Breathe slowly for ten minutes a day",
    ]
    assert f"{items[-1].session_start:%d %b %H:%M}" == "01 Jun 10:00"
    assert items[-1].clinician_name == "Ann Archer"


def test_unsharing_homework_takes_it_out_of_the_portal(portal_practice):
    tp = portal_practice
    latest = tp.extra["latest"]
    tp.practice.save_outcome(tp.ann, latest, tp.version(latest),
        OutcomeChange.of(homework_shared=False))

    texts = [h.homework for h in portal.shared_homework(tp.db, tp.client_actor)]
    assert "Keep a sleep diary" not in texts


def test_another_client_sees_their_own_homework_and_the_shared_group_homework(portal_practice):
    tp = portal_practice
    accounts.create_user(tp.db, username="dan", password="demo", role="client",
                         display_name="Dan Dale", now=tp.clock(), client_id=tp.clients[1])
    dan = accounts.actor_for(tp.db, "dan")

    assert [h.homework for h in portal.shared_homework(tp.db, dan)] == [
        "Practise the group exercise", "Dan's reading list"]
    assert [s.event_id for s in portal.upcoming_sessions(tp.db, dan, NOW)] == [
        tp.extra["group"]]


def test_nothing_the_portal_returns_carries_a_note_plan_or_other_clients_name(portal_practice):
    tp = portal_practice
    seen = repr((portal.upcoming_sessions(tp.db, tp.client_actor, NOW),
                 portal.shared_homework(tp.db, tp.client_actor),
                 portal.notifications(tp.db, tp.client_actor)))
    for secret in (NOTE, PLAN, "Dan Dale", "Dan's reading list", "Draft for next time"):
        assert secret not in seen


def test_staff_are_refused_the_portal_reads(portal_practice):
    tp = portal_practice
    for actor in (tp.ann, tp.manager):
        with pytest.raises(PermissionDenied, match="portal"):
            portal.upcoming_sessions(tp.db, actor, NOW)
        with pytest.raises(PermissionDenied):
            portal.shared_homework(tp.db, actor)
        with pytest.raises(PermissionDenied):
            portal.notifications(tp.db, actor)


def test_browser_reminders_are_the_clients_notifications_newest_first(tp):
    cara, dan, _ = tp.clients
    first = tp.create(reminders=(ReminderRequest("client", cara, "browser", 60),))
    tp.create(**at(3, 10), reminders=(ReminderRequest("client", cara, "browser", 24 * 60),))
    tp.create(client_ids=(dan,), **at(3, 12),
              reminders=(ReminderRequest("client", dan, "browser", 24 * 60),))
    dispatch_due(tp.db, datetime(2026, 6, 1, 8, 0, tzinfo=UTC), {})
    dispatch_due(tp.db, datetime(2026, 6, 2, 12, 0, tzinfo=UTC), {})

    notes = portal.notifications(tp.db, tp.client_actor)

    assert [n.title for n in notes] == [
        "Reminder: Client session with Ann Archer on Wed 3 Jun 2026 at 10:00 BST",
        "Reminder: Client session with Ann Archer on Mon 1 Jun 2026 at 10:00 BST",
    ]
    assert notes[1].event_id == first
    assert all(n.unread for n in notes)


def test_marking_notifications_read_touches_only_the_clients_own(tp):
    cara, dan, _ = tp.clients
    tp.create(reminders=(ReminderRequest("client", cara, "browser", 60),))
    tp.create(client_ids=(dan,), **at(1, 12),
              reminders=(ReminderRequest("client", dan, "browser", 180),))
    dispatch_due(tp.db, datetime(2026, 6, 1, 9, 0, tzinfo=UTC), {})
    dans = int(tp.db.df("SELECT id FROM notifications WHERE client_id = ?", [dan])["id"][0])

    with pytest.raises(NotFoundError):
        portal.mark_read(tp.db, tp.client_actor, NOW, [dans])
    assert portal.mark_read(tp.db, tp.client_actor, NOW) == 1
    assert portal.mark_read(tp.db, tp.client_actor, NOW + timedelta(minutes=1)) == 0

    assert not portal.notifications(tp.db, tp.client_actor)[0].unread
    unread = tp.db.df("SELECT read_at FROM notifications WHERE id = ?", [dans])["read_at"]
    assert unread.isna().all()
