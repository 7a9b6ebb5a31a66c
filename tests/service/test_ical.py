"""iCalendar export: parses back to the same instants and keeps local time across DST."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime

import icalendar
import pytest

from thera_analytics.domain.errors import PermissionDenied
from thera_analytics.domain.kinds import EventKind
from thera_analytics.domain.outcome_change import OutcomeChange
from thera_analytics.domain.recurrence import Recurrence
from thera_analytics.service import ical
from thera_app.reminders_cli import add_commands

NOW = datetime(2026, 6, 1, 7, 0, tzinfo=UTC)
NOTE = "Sensitive note text"
LINK = "https://video.example.org/room/9"


def events(data: bytes) -> list[icalendar.Event]:
    return list(icalendar.Calendar.from_ical(data).walk("VEVENT"))


def stored(tp, ids) -> dict[int, tuple[datetime, datetime]]:
    frame = tp.db.df("SELECT id, starts_at, ends_at FROM events WHERE id IN (SELECT unnest(?))",
                     [list(ids)])
    return {int(i): (s.to_pydatetime(), e.to_pydatetime())
            for i, s, e in zip(frame["id"], frame["starts_at"], frame["ends_at"], strict=True)}


def uid_of(tp, event_id: int) -> str:
    created = tp.db.df("SELECT created_at FROM practice")["created_at"][0].to_pydatetime()
    return ical.event_uid(event_id, created)


def test_a_clinicians_export_parses_back_to_the_same_instants(tp):
    ids = [
        tp.create(kind=EventKind.VIDEO_SESSION, video_link=LINK),
        tp.create(start=datetime(2026, 6, 2, 14, 0), end=datetime(2026, 6, 2, 15, 30)),
        tp.create(kind=EventKind.ADMIN, title="Reports", service_id=None, client_ids=(),
                  direct=None, start=datetime(2026, 6, 3, 8, 0), end=datetime(2026, 6, 3, 9, 0)),
    ]

    data = ical.clinician_calendar(tp.db, tp.ann, tp.ann.clinician_id, NOW)

    parsed = {str(ev["UID"]): ev for ev in events(data)}
    expected = stored(tp, ids)
    assert set(parsed) == {uid_of(tp, i) for i in ids}
    for event_id, (start, end) in expected.items():
        ev = parsed[uid_of(tp, event_id)]
        assert (ev.start, ev.end) == (start, end)
        assert ev.start.tzinfo is not None and str(ev.start.tzinfo) == "Europe/London"
    summaries = sorted(str(ev["SUMMARY"]) for ev in parsed.values())
    assert summaries == ["Admin: Reports", "Client session: Cara Cole", "Video session: Cara Cole"]
    video = parsed[uid_of(tp, ids[0])]
    assert str(video["URL"]) == LINK
    assert b"BEGIN:VTIMEZONE" in data and b"TZID:Europe/London" in data


def test_a_session_in_a_daylight_saving_week_keeps_its_local_time(tp):
    # British Summer Time starts on Sunday 29 March 2026: 10:00 is 10:00 UTC, then 09:00 UTC.
    ids = tp.practice.create_event(
        tp.ann, tp.details(start=datetime(2026, 3, 23, 10, 0), end=datetime(2026, 3, 23, 10, 50)),
        repeat=Recurrence(1, count=2))

    data = ical.clinician_calendar(tp.db, tp.ann, tp.ann.clinician_id, NOW)

    text = data.decode()
    assert "DTSTART;TZID=Europe/London:20260323T100000" in text
    assert "DTSTART;TZID=Europe/London:20260330T100000" in text
    starts = sorted(ev.start for ev in events(data))
    assert [s.astimezone(UTC).hour for s in starts] == [10, 9]
    assert [(s.hour, s.minute) for s in starts] == [(10, 0), (10, 0)]
    assert starts == sorted(s for s, _ in stored(tp, ids).values())


def test_the_vtimezone_alone_gives_the_right_instants(tp):
    # A calendar that does not know the zone's name must still place the sessions correctly.
    ids = tp.practice.create_event(
        tp.ann, tp.details(start=datetime(2026, 10, 19, 9, 0), end=datetime(2026, 10, 19, 9, 50)),
        repeat=Recurrence(1, count=2))
    data = ical.clinician_calendar(tp.db, tp.ann, tp.ann.clinician_id, NOW)

    renamed = data.replace(b"Europe/London", b"Harbour-Practice-Time")

    starts = sorted(ev.start for ev in events(renamed))
    assert [s.astimezone(UTC) for s in starts] == sorted(s for s, _ in stored(tp, ids).values())
    assert [s.astimezone(UTC).hour for s in starts] == [8, 9]


def test_uids_are_stable_and_sequence_follows_changes(tp):
    event_id = tp.create()
    before = events(ical.clinician_calendar(tp.db, tp.ann, tp.ann.clinician_id, NOW))[0]
    tp.practice.reschedule(tp.ann, event_id, tp.version(event_id), datetime(2026, 6, 1, 11, 0),
                           datetime(2026, 6, 1, 11, 50))
    after = events(ical.clinician_calendar(tp.db, tp.ann, tp.ann.clinician_id, NOW))[0]

    assert str(before["UID"]) == str(after["UID"]) == uid_of(tp, event_id)
    assert int(after["SEQUENCE"]) > int(before["SEQUENCE"])
    assert (after.start.hour, after.start.minute) == (11, 0)


def test_exports_carry_no_note_plan_or_homework(tp):
    event_id = tp.create(kind=EventKind.VIDEO_SESSION, video_link=LINK)
    tp.practice.save_plan(tp.ann, event_id, tp.version(event_id), "Plan: revisit " + NOTE)
    tp.practice.save_outcome(tp.ann, event_id, tp.version(event_id), OutcomeChange.of(note=NOTE,
                             homework="Homework " + NOTE, homework_enabled=True,
                             homework_shared=True))

    for data in (ical.clinician_calendar(tp.db, tp.ann, tp.ann.clinician_id, NOW),
                 ical.client_calendar(tp.db, tp.client_actor, tp.clients[0], NOW)):
        assert NOTE.encode() not in data.replace(b"\r\n ", b"")
        assert len(events(data)) == 1


def test_a_clients_feed_holds_their_sessions_and_names_no_other_client(tp):
    cara, dan, _ = tp.clients
    group = tp.create(kind=EventKind.GROUP_SESSION, client_ids=(cara, dan))
    tp.create(client_ids=(dan,), start=datetime(2026, 6, 1, 12, 0), end=datetime(2026, 6, 1, 13))
    tp.create(kind=EventKind.CLIENT_TEAM_MEETING, direct=False,
              start=datetime(2026, 6, 1, 14, 0), end=datetime(2026, 6, 1, 15, 0))

    data = ical.client_calendar(tp.db, tp.client_actor, cara, NOW)

    [ev] = events(data)
    assert str(ev["UID"]) == uid_of(tp, group)
    assert str(ev["SUMMARY"]) == "Group session with Ann Archer"
    assert b"Dan Dale" not in data and b"Cara Cole" not in data


def test_exports_are_refused_outside_the_actors_reach(tp):
    with pytest.raises(PermissionDenied):
        ical.client_calendar(tp.db, tp.client_actor, tp.clients[1], NOW)
    with pytest.raises(PermissionDenied):
        ical.client_calendar(tp.db, tp.ann, tp.clients[0], NOW)
    with pytest.raises(PermissionDenied):
        ical.clinician_calendar(tp.db, tp.ben, tp.ann.clinician_id, NOW)
    with pytest.raises(PermissionDenied):
        ical.clinician_calendar(tp.db, tp.client_actor, tp.ann.clinician_id, NOW)
    assert events(ical.clinician_calendar(tp.db, tp.manager, tp.ann.clinician_id, NOW)) == []


def test_thera_calendar_export_writes_an_ics_file(tmp_path, capsys):
    from tests.factories import make_practice

    path = tmp_path / "practice.duckdb"
    tp = make_practice(str(path))
    tp.create()
    tp.create(start=datetime(2026, 6, 8, 10, 0), end=datetime(2026, 6, 8, 10, 50))
    tp.db.close()
    parser = argparse.ArgumentParser(prog="thera")
    add_commands(parser.add_subparsers(dest="command", required=True))
    out = tmp_path / "cara.ics"

    args = parser.parse_args(["calendar", "export", "--db", str(path), "--client", "1",
                              "--out", str(out), "--to", "2026-06-07"])
    assert args.run(args) == 0

    assert [f"{ev.start:%Y-%m-%d %H:%M}" for ev in events(out.read_bytes())] == [
        "2026-06-01 10:00"]
    assert "Wrote 1 event to" in capsys.readouterr().err
