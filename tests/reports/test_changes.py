"""The Changes report: who changed what and when, from the audit log, in words; both engines."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.factories import make_practice
from thera_analytics.domain.errors import ValidationError
from thera_analytics.domain.outcome_change import OutcomeChange
from thera_analytics.reports.changes import change_table, changes


@pytest.fixture
def tp(db_target):
    practice = make_practice(db_target)
    yield practice
    practice.db.close()


def test_every_kind_of_change_is_listed_newest_first_in_words(tp):
    p, cara, dan = tp.practice, tp.clients[0], tp.clients[1]
    e = tp.create(client_ids=(cara, dan))  # Mon 1 June 10:00 London, booked at 08:00
    tp.clock.advance(timedelta(minutes=10))
    v = p.reschedule(tp.ann, e, tp.version(e), tp.details().start.replace(hour=11),
                     tp.details().end.replace(hour=11))[0] and tp.version(e)
    tp.clock.advance(timedelta(hours=4))
    v = p.save_plan(tp.ann, e, v, "Work on sleep")
    v = p.record_attendance(tp.ann, e, v, {cara: "attended", dan: "late_cancellation"},
                            {dan: "transport"})
    v = p.sign(tp.ann, e, v)
    tp.clock.advance(timedelta(hours=1))
    v = p.save_outcome(tp.ann, e, v, OutcomeChange.of(note="Amended note"))
    p.add_comment(tp.manager, e, "Checked")
    other = tp.create(tp.ben, clinician_id=tp.ben.clinician_id, client_ids=(tp.clients[2],))
    p.cancel(tp.ben, other, tp.version(other), reason="weather")
    p.add_cancellation_reason(tp.manager, "Strike")

    table = changes(tp.db, "2026-06-01", "2026-06-01")
    assert table["what"].tolist() == [
        "Reason added", "Cancelled", "Booked", "Comment added", "Amended", "Signed",
        "Outcome recorded", "Plan saved", "Moved", "Booked"]
    row = table.set_index("what").loc["Outcome recorded"]
    assert row["who"] == "Ann Archer" and row["role"] == "Clinician"
    assert "Attendance (Dan Dale): Not marked → Late cancellation" in row["details"]
    assert "Cancellation reason (Dan Dale): — → Transport" in row["details"]
    assert row["clients"] == "Cara Cole, Dan Dale" and row["event_id"] == e
    moved = table.set_index("what").loc["Moved", "details"]
    assert "Start: Mon 1 Jun 2026 10:00 → Mon 1 Jun 2026 11:00" in moved
    assert table.set_index("what").loc["Cancelled", "details"] == (
        "Taken off the calendar; reason: Weather")
    assert table.iloc[-1]["details"] == ("Client session on Mon 1 Jun 2026 10:00 with "
                                         "Cara Cole, Dan Dale")

    ann_only = changes(tp.db, "2026-06-01", "2026-06-01", clinician_id=tp.ann.clinician_id)
    assert set(ann_only["event_id"]) == {e}
    eve = changes(tp.db, "2026-06-01", "2026-06-01", client_id=tp.clients[2])
    assert eve["what"].tolist() == ["Cancelled", "Booked"]
    assert changes(tp.db, "2026-06-02", "2026-06-30").empty
    readable = change_table(table, tp.db.zone)
    assert list(readable.columns) == ["When", "Who", "Role", "What", "Session", "Clinician",
                                      "Clients", "Details"]
    assert readable.iloc[-1]["When"] == "2026-06-01 08:00"  # London time


def test_a_bad_filter_names_its_field(tp):
    with pytest.raises(ValidationError) as err:
        changes(tp.db, "2026-06-01", "2026-06-30", client_id="Cara")
    assert err.value.field == "client_id"
