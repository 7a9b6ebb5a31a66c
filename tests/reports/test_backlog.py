"""The backlog, signing delays and completion of a small practice, worked out by hand.

June 2026, Europe/London (UTC+1), 50-minute sessions unless said. Times below are local;
``plan``/``sign`` are hours after the session's end. As of Fri 12 June 12:00 UTC (13:00 local):

    E1  ann  Mon 1  10:00  attended, plan -2, sign +1            complete
    E2  ann  Tue 2  10:00  no show, sign +30, no plan            missing plan        242.17 h
    E3  ben  Wed 3  11:00  late cancellation, nothing else       plan, signature     217.17 h
    E12 ben  Mon 1  15:00  attended, plan -1, sign +60           complete
    E4  ben  Mon 8  11:00  group 90 min, Cara attended, Dan not marked, plan -1
                                                                 attendance, signature 96.5 h
    E5  ben  Tue 9  11:00  indirect, in progress, plan 0         signature            73.17 h
    E10 ann  Wed 10 15:00  attended, plan +20, sign +1           complete (plan on 11 June)
    E6  ann  Thu 11 11:00  nothing                               attendance, plan, signature
                                                                                      25.17 h
    E7  ann  Fri 12 09:00  attended, plan -1, sign +2            complete, amendable
    E8  ann  Fri 12 12:00  attended, plan -1, sign +1 (after as of)  signature        0.17 h
    E9  ann  Fri 12 14:00  not ended yet
    E11 ann  Thu 4  09:00  cancelled: nowhere
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pandas as pd
import pytest

from tests import factories
from tests.reports.conftest import SOURCES, Book, cluster_for, scenario
from thera_analytics.domain.kinds import EventKind
from thera_analytics.reports import backlog as bl
from thera_analytics.reports import completion as cp
from thera_analytics.reports import signing

AS_OF = datetime(2026, 6, 12, 12, 0, tzinfo=UTC)
E: dict[str, int] = {}


def build(tp: factories.TestPractice, book: Book) -> None:
    E["E1"] = book(date(2026, 6, 1), 10, attendance="attended", plan_at=-2, sign_at=1).event_id
    E["E2"] = book(date(2026, 6, 2), 10, attendance="no_show", sign_at=30).event_id
    E["E3"] = book(date(2026, 6, 3), 11, who="ben", attendance="late_cancellation").event_id
    E["E12"] = book(date(2026, 6, 1), 15, who="ben", attendance="attended", plan_at=-1,
                    sign_at=60).event_id
    E["E4"] = book(date(2026, 6, 8), 11, who="ben", clients=(0, 1), minutes=90,
                   kind=EventKind.GROUP_SESSION, service=book.group_service,
                   attendance=["attended", None], plan_at=-1).event_id
    E["E5"] = book(date(2026, 6, 9), 11, who="ben", direct=False, status="in_progress",
                   plan_at=0).event_id
    E["E10"] = book(date(2026, 6, 10), 15, attendance="attended", plan_at=20,
                    sign_at=1).event_id
    E["E6"] = book(date(2026, 6, 11), 11).event_id
    E["E7"] = book(date(2026, 6, 12), 9, attendance="attended", plan_at=-1, sign_at=2).event_id
    E["E8"] = book(date(2026, 6, 12), 12, attendance="attended", plan_at=-1,
                   sign_at=1).event_id
    E["E9"] = book(date(2026, 6, 12), 14).event_id
    E["E11"] = book(date(2026, 6, 4), 9, cancel=True).event_id


@pytest.fixture(scope="module", params=SOURCES)
def practice(request: pytest.FixtureRequest) -> Iterator[factories.TestPractice]:
    with scenario(build, cluster_for(request)) as (tp, _):
        yield tp


def test_items_oldest_first_with_what_is_missing(practice: factories.TestPractice) -> None:
    items = bl.backlog_items(practice.db, AS_OF)
    got = [(int(r.event_id), round(r.age_hours, 2), r.age_bucket, r.missing)
           for r in items.itertuples()]
    assert got == [
        (E["E2"], 242.17, "7-14 d", "plan"),
        (E["E3"], 217.17, "7-14 d", "plan, signature"),
        (E["E4"], 96.5, "2-7 d", "attendance, signature"),
        (E["E5"], 73.17, "2-7 d", "signature"),  # any status marks the outcome
        (E["E6"], 25.17, "24-48 h", "attendance, plan, signature"),
        (E["E8"], 0.17, "<24 h", "signature"),
    ]
    assert items.loc[0, "clinician"] == "Ann Archer"
    assert str(items.loc[0, "local_start"]) == "2026-06-02 10:00:00"


def test_as_of_earlier_a_later_plan_or_signature_is_not_there_yet(
        practice: factories.TestPractice) -> None:
    # 11 June 09:00 UTC: E10 is signed but its plan came at 10:50; E6 has not ended.
    items = bl.backlog_items(practice.db, datetime(2026, 6, 11, 9, 0, tzinfo=UTC))
    assert dict(zip(items["event_id"], items["missing"], strict=True)) == {
        E["E2"]: "plan", E["E3"]: "plan, signature", E["E4"]: "attendance, signature",
        E["E5"]: "signature", E["E10"]: "plan"}
    # 1 June 10:00 UTC: E1 ended ten minutes ago and is not signed yet.
    items = bl.backlog_items(practice.db, datetime(2026, 6, 1, 10, 0, tzinfo=UTC))
    assert items[["event_id", "missing", "age_bucket"]].values.tolist() == [
        [E["E1"], "signature", "<24 h"]]


def test_filters_period_clinician_service_and_limit(practice: factories.TestPractice,
                                                    ) -> None:
    db = practice.db
    ids = bl.backlog_items(db, AS_OF, clinician_id=practice.ben.clinician_id)["event_id"]
    assert ids.tolist() == [E["E3"], E["E4"], E["E5"]]
    group = practice.db.df("SELECT id FROM services WHERE name = 'Group programme'").iloc[0, 0]
    assert bl.backlog_items(db, AS_OF, service_id=int(group))["event_id"].tolist() == [E["E4"]]
    week = bl.backlog_items(db, AS_OF, start="2026-06-08", end="2026-06-14")["event_id"]
    assert week.tolist() == [E["E4"], E["E5"], E["E6"], E["E8"]]
    assert bl.backlog_items(db, AS_OF, end="2026-06-07")["event_id"].tolist() == [
        E["E2"], E["E3"]]
    assert bl.backlog_items(db, AS_OF, limit=2)["event_id"].tolist() == [E["E2"], E["E3"]]


def test_by_clinician_and_age_bucket(practice: factories.TestPractice) -> None:
    table = bl.backlog_by_clinician(practice.db, AS_OF)
    assert table.columns.tolist() == ["clinician_id", "clinician", "<24 h", "24-48 h", "2-7 d",
                                      "7-14 d", ">14 d", "total", "oldest_hours"]
    assert table.drop(columns=["clinician_id", "oldest_hours"]).values.tolist() == [
        ["Ann Archer", 1, 1, 0, 1, 0, 3],
        ["Ben Brook", 0, 0, 2, 1, 0, 3],
    ]
    assert table["oldest_hours"].round(2).tolist() == [242.17, 217.17]


def test_missing_counts(practice: factories.TestPractice) -> None:
    counts = bl.missing_counts(bl.backlog_items(practice.db, AS_OF))
    assert dict(zip(counts["missing"], counts["notes"], strict=True)) == {
        "details": 0, "attendance": 2, "status": 0, "plan": 3, "signature": 5}


def test_week_by_week(practice: factories.TestPractice) -> None:
    trend = bl.backlog_trend(practice.db, "2026-06-01", "2026-06-21", as_of=AS_OF)
    # The week of 15 June has not begun by the as-of instant.
    assert [str(d.date()) for d in trend["week_start"]] == ["2026-06-01", "2026-06-08"]
    # End of the first week: Monday 8 June 00:00 London = 7 June 23:00 UTC.
    assert trend["as_of"].tolist() == [pd.Timestamp("2026-06-07 23:00", tz="UTC"),
                                       pd.Timestamp(AS_OF)]
    assert trend[["<24 h", "24-48 h", "2-7 d", "7-14 d", ">14 d", "backlog"]].values.tolist() == [
        [0, 0, 2, 0, 0, 2],
        [1, 1, 2, 2, 0, 6],
    ]
    assert trend["change"].tolist()[1] == 4


def test_the_last_week_of_the_trend_is_the_backlog_as_of(practice: factories.TestPractice,
                                                         ) -> None:
    for moment in (datetime(2026, 6, 3, 8, 0, tzinfo=UTC), datetime(2026, 6, 10, 16, 0,
                                                                       tzinfo=UTC), AS_OF):
        trend = bl.backlog_trend(practice.db, moment.date(), moment.date(), as_of=moment)
        assert trend["backlog"].iloc[-1] == len(bl.backlog_items(practice.db, moment))


def test_signing_times_against_24_and_48_hours(practice: factories.TestPractice) -> None:
    table = signing.signing_times(practice.db, "2026-06-01", "2026-06-14", as_of=AS_OF)
    assert table[["clinician", "notes", "within_24h", "within_24_48h", "after_48h",
                  "not_signed"]].values.tolist() == [
        ["Ann Archer", 6, 3, 1, 0, 2],  # E1 E7 E10 | E2 | - | E6, E8 (signed after as of)
        ["Ben Brook", 4, 0, 0, 1, 3],  # E12 after 60 h | E3 E4 E5
    ]
    assert table["share_within_24h"].tolist() == pytest.approx([0.5, 0.0])
    assert table["share_within_48h"].tolist() == pytest.approx([4 / 6, 0.0])
    practice_row = signing.signing_times(practice.db, "2026-06-01", "2026-06-14", as_of=AS_OF,
                                    by="practice")
    assert practice_row[["notes", "within_24h", "not_signed"]].values.tolist() == [[10, 3, 5]]


def test_signing_delay_distribution(practice: factories.TestPractice) -> None:
    dist = signing.signing_delay_distribution(practice.db, "2026-06-01", "2026-06-14", as_of=AS_OF)
    notes = dict(zip(dist["delay"], dist["notes"], strict=True))
    assert notes == {"0-6 h": 3, "6-12 h": 0, "12-18 h": 0, "18-24 h": 0, "24-36 h": 1,
                     "36-48 h": 0, "2-3 d": 1, "3-7 d": 0, "7-14 d": 0, ">14 d": 0,
                     "Not signed": 5}
    assert dist["cumulative_share"].iloc[3] == pytest.approx(0.3)
    assert dist["cumulative_share"].iloc[-1] == pytest.approx(1.0)


def test_amendable_notes(practice: factories.TestPractice) -> None:
    notes = signing.amendable_notes(practice.db, AS_OF)
    assert notes["event_id"].tolist() == [E["E7"]]
    assert notes["hours_left"].round(2).tolist() == [22.83]
    # Half an hour later E8 has been signed too (at 12:50 UTC).
    later = signing.amendable_notes(practice.db, datetime(2026, 6, 12, 13, 0, tzinfo=UTC))
    assert later["event_id"].tolist() == [E["E7"], E["E8"]]


def test_completion_per_clinician_per_week(practice: factories.TestPractice) -> None:
    table = cp.completion_by_week(practice.db, "2026-06-01", "2026-06-14", as_of=AS_OF)
    got = [[r.clinician, str(r.week_start.date()), r.client_events, r.ended, r.details, r.plan,
            r.outcome, r.complete, r.incomplete] for r in table.itertuples()]
    assert got == [
        ["Ann Archer", "2026-06-01", 2, 2, 2, 1, 2, 1, 1],
        ["Ben Brook", "2026-06-01", 2, 2, 2, 1, 1, 1, 1],
        ["Ann Archer", "2026-06-08", 5, 4, 4, 3, 2, 2, 2],
        ["Ben Brook", "2026-06-08", 2, 2, 2, 2, 0, 0, 2],
    ]
    assert table["complete_share"].tolist() == pytest.approx([0.5, 0.5, 0.5, 0.0])
    # What is incomplete is exactly the backlog of those weeks.
    assert table["incomplete"].sum() == len(bl.backlog_items(practice.db, AS_OF,
                                                             start="2026-06-01",
                                                             end="2026-06-14"))
    weekly = cp.completion_by_week(practice.db, "2026-06-01", "2026-06-14", as_of=AS_OF,
                                   by="practice")
    assert weekly[["ended", "complete"]].values.tolist() == [[4, 2], [6, 2]]
    summary = cp.completion_summary(practice.db, "2026-06-01", "2026-06-14", as_of=AS_OF)
    assert summary[["clinician", "ended", "complete"]].values.tolist() == [
        ["Ben Brook", 4, 1], ["Ann Archer", 6, 3]]


def test_backlog_summary(practice: factories.TestPractice) -> None:
    summary = bl.backlog_summary(practice.db, "2026-06-01", "2026-06-14", as_of=AS_OF)
    figures = summary.figures()
    assert figures["backlog"] == 6
    assert figures["over_48h"] == 4
    assert figures["oldest_event_id"] == E["E2"]
    assert figures["largest_clinician"] == "Ann Archer"  # 3 each; Ann's is older
    # 5 June 12:00 UTC: E2 and E3 only.
    assert figures["week_change"] == 4
    assert figures["signed_within_24h_pct"] == 30.0
    assert figures["amendable"] == 1
    text = summary.markdown()
    assert text.startswith("**Unsigned-note backlog at 2026-06-12 13:00 BST:** 6 past")
    assert "grew by 4" in text


def test_the_backlog_now_matches_the_note_backlog_view(practice: factories.TestPractice,
                                                       ) -> None:
    """With as_of = now the report and the analysts' view are the same list."""
    view = practice.db.df("SELECT event_id, missing, age_bucket FROM note_backlog"
                          " ORDER BY ends_at, event_id")
    items = bl.backlog_items(practice.db)
    assert items["event_id"].tolist() == view["event_id"].tolist()
    assert items["missing"].tolist() == view["missing"].tolist()
    assert items["age_bucket"].tolist() == view["age_bucket"].tolist()
