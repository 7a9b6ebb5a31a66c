"""Recurring series, rescheduling, cancelling and the calendar week."""

from datetime import UTC, date, datetime, timedelta

import pytest

from thera_analytics.domain.details import ReminderRequest
from thera_analytics.domain.errors import ValidationError
from thera_analytics.domain.recurrence import Recurrence
from thera_analytics.sample.generator import generate_practice
from thera_analytics.service.calendar import week_events
from thera_analytics.store import Database


def _local_times(tp, ids):
    frame = tp.db.df(
        "SELECT id, local_start, duration_minutes, starts_at FROM events"
        " WHERE id IN (SELECT unnest(?)) ORDER BY starts_at", [ids])
    return frame


def test_weekly_series_across_the_autumn_clock_change_keeps_time_and_duration(tp):
    details = tp.details(start=datetime(2026, 10, 12, 9, 0), end=datetime(2026, 10, 12, 9, 50))
    ids = tp.practice.create_event(tp.ann, details, repeat=Recurrence(1, count=4))
    frame = _local_times(tp, ids)
    assert [t.strftime("%a %H:%M") for t in frame["local_start"]] == ["Mon 09:00"] * 4
    assert frame["duration_minutes"].tolist() == [50] * 4
    # 09:00 BST is 08:00 UTC; after 25 October 09:00 GMT is 09:00 UTC.
    assert [t.hour for t in frame["starts_at"]] == [8, 8, 9, 9]


def test_series_that_would_land_in_a_skipped_hour_is_refused_naming_the_date(tp):
    details = tp.details(start=datetime(2026, 3, 15, 1, 30), end=datetime(2026, 3, 15, 2, 0))
    with pytest.raises(ValidationError, match="2026-03-29 01:30 does not exist"):
        tp.practice.create_event(tp.ann, details, repeat=Recurrence(1, count=3))
    assert tp.db.df("SELECT count(*) AS n FROM events")["n"][0] == 0


def test_reschedule_one_occurrence_leaves_the_rest(tp):
    ids = tp.practice.create_event(tp.ann, tp.details(), repeat=Recurrence(1, count=3))
    second = tp.practice.event(tp.ann, ids[1])
    tp.practice.reschedule(tp.ann, ids[1], second.version, datetime(2026, 6, 9, 14, 0),
                           datetime(2026, 6, 9, 14, 50))
    frame = _local_times(tp, ids)
    assert [t.strftime("%d %H:%M") for t in frame["local_start"]] == [
        "01 10:00", "09 14:00", "15 10:00"]


def test_reschedule_all_following_shifts_wall_clock_time_across_daylight_saving(tp):
    details = tp.details(start=datetime(2026, 10, 5, 10, 0), end=datetime(2026, 10, 5, 10, 50))
    ids = tp.practice.create_event(tp.ann, details, repeat=Recurrence(1, count=5))
    second = tp.practice.event(tp.ann, ids[1])
    moved = tp.practice.reschedule(tp.ann, ids[1], second.version, datetime(2026, 10, 13, 15, 0),
                                   datetime(2026, 10, 13, 16, 0), scope="following")
    assert moved == ids[1:]
    frame = _local_times(tp, ids)
    assert [t.strftime("%a %H:%M") for t in frame["local_start"]] == [
        "Mon 10:00"] + ["Tue 15:00"] * 4
    assert frame["duration_minutes"].tolist() == [50, 60, 60, 60, 60]


def test_cancel_all_following_cancels_their_reminders(tp):
    reminder = ReminderRequest("client", tp.clients[0], "email", 60)
    ids = tp.practice.create_event(tp.ann, tp.details(reminders=(reminder,)),
                                   repeat=Recurrence(1, count=3))
    tp.practice.cancel(tp.ann, ids[1], tp.version(ids[1]), scope="following",
                       reason="weather")
    states = tp.db.df("SELECT e.id, e.cancelled_at IS NOT NULL AS cancelled, r.state FROM events e"
                      " JOIN reminders r ON r.event_id = e.id ORDER BY e.id")
    assert states["cancelled"].tolist() == [False, True, True]
    assert states["state"].tolist() == ["pending", "cancelled", "cancelled"]
    assert len(tp.practice.week(tp.ann, date(2026, 6, 8))) == 0


def test_rescheduling_moves_reminder_due_times(tp):
    reminder = ReminderRequest("third_party", tp.third_party, "email", 24 * 60)
    event_id = tp.create(third_party_ids=(tp.third_party,), reminders=(reminder,))
    tp.practice.reschedule(tp.ann, event_id, tp.version(event_id), datetime(2026, 6, 3, 11, 0),
                           datetime(2026, 6, 3, 11, 50))
    due = tp.db.df("SELECT due_at FROM reminders")["due_at"][0]
    assert due.to_pydatetime() == tp.practice.event(tp.ann, event_id).start - timedelta(days=1)


def test_clinician_week_shows_own_events_with_dots_and_team_meetings_they_join(tp):
    mine = tp.create()
    from thera_analytics.domain.kinds import EventKind
    ben_meeting = tp.practice.create_event(
        tp.ben, tp.details(kind=EventKind.TEAM_MEETING, clinician_id=tp.ben.clinician_id,
                           service_id=None, client_ids=(), direct=None, title="Staff meeting",
                           team_member_ids=(tp.ann.clinician_id,),
                           start=datetime(2026, 6, 2, 12, 0), end=datetime(2026, 6, 2, 13, 0)))[0]
    week = tp.practice.week(tp.ann, date(2026, 6, 3))
    assert week["event_id"].tolist() == [mine, ben_meeting]
    first = week.iloc[0]
    assert (first["colour_family"], first["dot_details"], first["dot_plan"]) == ("blue", True,
                                                                                False)
    assert week.iloc[1]["colour_family"] == "purple"
    assert not week.iloc[1]["dot_details"]  # non-client events carry no dots
    assert len(tp.practice.week(tp.manager, date(2026, 6, 3))) == 2


def _reminder_rows(tp, event_id):
    return tp.db.df("SELECT state, due_at FROM reminders WHERE event_id = ? ORDER BY id",
                    [event_id])


def test_editing_details_keeps_one_reminder_per_recipient(tp):
    reminder = ReminderRequest("client", tp.clients[0], "email", 60)
    event_id = tp.create(reminders=(reminder,))
    tp.practice.update_details(tp.ann, event_id, tp.version(event_id),
                               tp.details(title="Review", reminders=(reminder,)))
    assert _reminder_rows(tp, event_id)["state"].tolist() == ["pending"]
    tp.practice.update_details(tp.ann, event_id, tp.version(event_id), tp.details(reminders=()))
    assert _reminder_rows(tp, event_id)["state"].tolist() == ["cancelled"]


def test_a_reminder_already_sent_is_not_queued_again_unless_the_time_moves(tp):
    reminder = ReminderRequest("client", tp.clients[0], "email", 60)
    event_id = tp.create(reminders=(reminder,))
    tp.db.cursor().execute("UPDATE reminders SET state = 'sent'")  # as the dispatcher would
    tp.practice.update_details(tp.ann, event_id, tp.version(event_id),
                               tp.details(title="Same time", reminders=(reminder,)))
    assert _reminder_rows(tp, event_id)["state"].tolist() == ["sent"]
    tp.practice.reschedule(tp.ann, event_id, tp.version(event_id), datetime(2026, 6, 2, 10, 0),
                           datetime(2026, 6, 2, 10, 50))
    rows = _reminder_rows(tp, event_id)
    assert rows["state"].tolist() == ["sent", "pending"]
    assert rows["due_at"][1] - rows["due_at"][0] == timedelta(days=1)


def test_every_week_agrees_with_the_tables_on_a_sample_practice(tmp_path):
    """Each event's dots, status, clients in name order with their marks, and names, as the
    analyst views and tables have them, for every clinician's week and the practice's."""
    db = Database(str(tmp_path / "weeks.duckdb"))
    generate_practice(db, clinicians=3, weeks=4, seed=11,
                      now=datetime(2026, 6, 12, 6, tzinfo=UTC))
    expected = db.df(
        "SELECT e.id AS event_id, cl.name AS clinician_name, sv.name AS service_name,"
        " COALESCE(s.dot_details, FALSE) AS dot_details, COALESCE(s.dot_plan, FALSE) AS dot_plan,"
        " COALESCE(s.dot_outcome, FALSE) AS dot_outcome, CAST(o.status AS VARCHAR) AS status,"
        " COALESCE((SELECT STRING_AGG(c.name, ', ' ORDER BY c.name) FROM event_clients ec"
        "  JOIN clients c ON c.id = ec.client_id WHERE ec.event_id = e.id), '') AS client_names,"
        " COALESCE((SELECT STRING_AGG(COALESCE(CAST(ec.attendance AS VARCHAR), '-'), ','"
        "  ORDER BY c.name) FROM event_clients ec JOIN clients c ON c.id = ec.client_id"
        "  WHERE ec.event_id = e.id), '') AS attendance"
        " FROM events e JOIN clinicians cl ON cl.id = e.clinician_id"
        " LEFT JOIN services sv ON sv.id = e.service_id"
        " LEFT JOIN event_status s ON s.event_id = e.id"
        " LEFT JOIN outcomes o ON o.event_id = e.id WHERE e.cancelled_at IS NULL"
    ).set_index("event_id")
    weeks = [r[0] for r in db.cursor().execute(
        "SELECT DISTINCT week_start FROM events ORDER BY 1").fetchall()]
    seen = set()
    for week in weeks:
        for clinician in (None, 1, 2, 3):
            got = week_events(db, week, clinician)
            assert list(got["starts_at"]) == sorted(got["starts_at"])
            for row in got.itertuples():
                want = expected.loc[row.event_id]
                assert (row.clinician_name, row.service_name, row.client_names,
                        row.attendance) == (want.clinician_name, want.service_name,
                                            want.client_names, want.attendance)
                assert (row.dot_details, row.dot_plan, row.dot_outcome) == (
                    want.dot_details, want.dot_plan, want.dot_outcome)
                assert (row.status if isinstance(row.status, str) else None) == (
                    want.status if isinstance(want.status, str) else None)
                seen.add(row.event_id)
    assert seen == set(expected.index)
    db.close()
