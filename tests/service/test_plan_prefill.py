"""The pre-filled previous note and homework never cross from one client's sessions to another's."""

from datetime import datetime

from thera_analytics.domain.kinds import EventKind
from thera_analytics.domain.outcome_change import OutcomeChange


def _session(tp, day, clients, note, kind=EventKind.CLIENT_SESSION):
    event_id = tp.create(kind=kind, client_ids=tuple(clients),
                         start=datetime(2026, 6, day, 10, 0), end=datetime(2026, 6, day, 10, 50))
    tp.clock.set(tp.practice.event(tp.ann, event_id).end)
    tp.practice.save_outcome(tp.ann, event_id, tp.version(event_id), OutcomeChange.of(note=note,
                             homework=f"homework: {note}"))
    return event_id


def test_couples_session_is_prefilled_only_from_the_couples_last_session(tp):
    cara, dan, _ = tp.clients
    couple_1 = _session(tp, 1, [cara, dan], "couple, week 1", EventKind.VIDEO_SESSION)
    _session(tp, 2, [cara], "Cara alone: private")
    _session(tp, 3, [cara, dan, tp.clients[2]], "family session")
    couple_2 = tp.create(kind=EventKind.VIDEO_SESSION, client_ids=(dan, cara),
                         start=datetime(2026, 6, 8, 10, 0), end=datetime(2026, 6, 8, 10, 50))
    filled = tp.practice.plan_prefill(tp.ann, couple_2)
    assert (filled.previous_note, filled.from_event_id) == ("couple, week 1", couple_1)
    tp.practice.save_plan(tp.ann, couple_2, tp.version(couple_2), "Plan")
    assert tp.practice.event(tp.ann, couple_2).previous_note == "couple, week 1"


def test_individual_session_is_not_prefilled_from_a_shared_session(tp):
    cara, dan, _ = tp.clients
    _session(tp, 1, [cara], "Cara, week 1")
    _session(tp, 2, [cara, dan], "couple: Dan said something private")
    alone = tp.create(start=datetime(2026, 6, 8, 10, 0), end=datetime(2026, 6, 8, 10, 50))
    assert tp.practice.plan_prefill(tp.ann, alone).previous_note == "Cara, week 1"


def test_a_couple_with_no_shared_session_starts_empty(tp):
    cara, dan, _ = tp.clients
    _session(tp, 1, [cara], "Cara alone")
    _session(tp, 2, [dan], "Dan alone")
    couple = tp.create(kind=EventKind.VIDEO_SESSION, client_ids=(cara, dan),
                       start=datetime(2026, 6, 8, 10, 0), end=datetime(2026, 6, 8, 10, 50))
    filled = tp.practice.plan_prefill(tp.ann, couple)
    assert (filled.previous_note, filled.previous_homework, filled.from_event_id) == ("", "", None)
