"""Sessions with several clients that are not group sessions: couples and family sessions."""

import pytest

from thera_analytics.domain.kinds import EventKind
from thera_analytics.domain.palette import ColourFamily


def test_couples_video_session_stays_a_direct_pink_session_with_its_link(tp):
    p, ann = tp.practice, tp.ann
    couple = tuple(tp.clients[:2])
    event_id = tp.create(kind=EventKind.VIDEO_SESSION, client_ids=couple,
                         video_link="https://meet.example/couple")
    rec = p.event(ann, event_id)
    assert rec.kind is EventKind.VIDEO_SESSION and rec.direct is True
    assert rec.kind.colour_family is ColourFamily.PINK
    assert rec.video_link == "https://meet.example/couple"
    assert set(rec.client_ids) == set(couple)

    tp.clock.set(rec.end)
    v = p.record_attendance(ann, event_id, rec.version,
                            {couple[0]: "attended", couple[1]: "late_cancellation"},
                            {couple[1]: "transport"})
    facts = tp.db.df("SELECT client_id, attendance, billable FROM session_facts"
                     " WHERE event_id = ? ORDER BY client_id", [event_id])
    assert facts.values.tolist() == [[couple[0], "attended", True],
                                     [couple[1], "late_cancellation", True]]
    assert p.event(ann, event_id).version == v


@pytest.mark.parametrize("kind", [EventKind.CLIENT_SESSION, EventKind.PHONE_SESSION,
                                  EventKind.HOME_VISIT])
def test_other_client_kinds_take_a_family_directly(tp, kind):
    event_id = tp.create(kind=kind, client_ids=tuple(tp.clients))
    rec = tp.practice.event(tp.ann, event_id)
    assert rec.direct is True and len(rec.clients) == 3
