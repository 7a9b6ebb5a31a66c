"""The cancellation report: by reason, clinician, service, weekday and notice, with rebooking
within 14 days, as the record stood at an instant; on DuckDB and PostgreSQL."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from tests.factories import START_OF_TESTS, make_practice
from tests.reports.conftest import Book
from thera_analytics.domain.local_time import to_instant
from thera_analytics.reports.cancellations import (
    cancellation_items,
    cancellation_table,
    cancellations_by,
)


@pytest.fixture
def both(db_target):
    tp = make_practice(db_target)
    yield tp, Book(tp)
    tp.db.close()


def _at(tp, day: date, hour: int) -> datetime:
    return to_instant(datetime(day.year, day.month, day.day, hour), tp.db.zone)


def test_breakdowns_notice_and_rebooking(both):
    tp, book = both
    # Wed 3 June 10:00: Ann cancels the whole session 26 h ahead, for clinician illness.
    first = book(date(2026, 6, 3), 10)
    tp.clock.set(_at(tp, date(2026, 6, 2), 8))
    tp.practice.cancel(tp.ann, first.event_id, tp.version(first.event_id),
                       reason="clinician_illness")
    # Cara is booked again 5 days after that cancellation: rebooked.
    tp.clock.set(_at(tp, date(2026, 6, 7), 9))
    tp.create(start=datetime(2026, 6, 10, 10), end=datetime(2026, 6, 10, 10, 50))
    # Thu 4 June 11:00 with Ben: Dan late-cancels (marked after the start: notice < 0);
    # Dan is not booked again.
    book(date(2026, 6, 4), 11, who="ben", clients=(1,), attendance="late_cancellation",
         reason=("other", "Car trouble"))
    # An attended session is no cancellation.
    book(date(2026, 6, 4), 14, attendance="attended")
    items = cancellation_items(tp.db, "2026-06-01", "2026-06-30",
                               as_of=datetime(2026, 7, 1, tzinfo=START_OF_TESTS.tzinfo))
    assert items[["client", "reason", "kind", "weekday_name", "notice", "rebooked"]
                 ].values.tolist() == [
        ["Cara Cole", "Clinician illness", "event", "Wednesday", "24–48 h", True],
        ["Dan Dale", "Other", "late_cancellation", "Thursday", "After the start", False],
    ]
    assert items["notice_hours"].tolist()[0] == pytest.approx(26)
    by_reason = cancellations_by(items, "reason").set_index("reason")
    assert by_reason.loc["Clinician illness", "rebooking_rate"] == 1.0
    assert by_reason.loc["Other", "rebooking_rate"] == 0.0
    assert by_reason["share"].sum() == pytest.approx(1.0)
    assert cancellations_by(items, "clinician")["clinician"].tolist() == ["Ann Archer",
                                                                          "Ben Brook"]
    assert cancellations_by(items, "weekday")["weekday"].tolist() == ["Wednesday", "Thursday"]
    assert cancellations_by(items, "notice")["notice"].tolist() == ["After the start",
                                                                    "24–48 h"]
    assert cancellations_by(items, "service")["cancellations"].tolist() == [2]
    table = cancellation_table(items)
    assert table.loc[0, "Reason"] == "Other: Car trouble"
    assert table.loc[1, "Rebooked within 14 days"] == "yes"


def test_as_of_reads_the_record_as_it_stood(both):
    tp, book = both
    session = book(date(2026, 6, 3), 10, attendance="cancelled", reason="forgot")
    cara = tp.clients[0]
    marked = tp.clock()
    tp.clock.set(marked + timedelta(hours=2))
    v = tp.practice.record_attendance(tp.ann, session.event_id, tp.version(session.event_id),
                                      {cara: "late_cancellation"}, {cara: "transport"})
    tp.clock.set(marked + timedelta(hours=4))
    tp.practice.record_attendance(tp.ann, session.event_id, v, {cara: "attended"})

    def reasons(at):
        return cancellation_items(tp.db, "2026-06-01", "2026-06-30", as_of=at)["reason"].tolist()

    assert reasons(marked - timedelta(minutes=1)) == []
    assert reasons(marked) == ["Forgot"]
    assert reasons(marked + timedelta(hours=3)) == ["Transport"]
    assert reasons(marked + timedelta(hours=5)) == []


def test_a_cancelled_group_counts_once_per_client_and_filters_apply(both):
    tp, book = both
    group = book(date(2026, 6, 5), 9, clients=(0, 1, 2), cancel=True, reason="weather")
    items = cancellation_items(tp.db, "2026-06-01", "2026-06-30")
    assert sorted(items["client"]) == ["Cara Cole", "Dan Dale", "Eve Ely"]
    assert set(items["event_id"]) == {group.event_id}
    assert cancellation_items(tp.db, "2026-06-01", "2026-06-30",
                              clinician_id=tp.ben.clinician_id).empty
    assert cancellation_items(tp.db, "2026-07-01", "2026-07-31").empty
    assert cancellations_by(items.iloc[0:0], "reason").empty
