"""Attendance figures of a small practice, worked out by hand.

June 2026, Europe/London, Individual therapy (50 min) unless said:

    ann  Mon 1  10:00  Cara   attended
    ann  Tue 2  10:00  Cara   no show
    ben  Wed 3  11:00  Cara   late cancellation
    ben  Fri 5  09:00  Dan    (cancelled event: not counted anywhere)
    ben  Mon 8  11:00  Cara + Dan, group session, Group programme, 90 min: attended, cancelled
    ben  Tue 9  11:00  Cara   indirect, completed (not an attendance)
    ann  Wed 10 11:00  Cara   not marked
    ann  Thu 11 11:00  Eve    non-billable
    ann  Wed 1 July    Cara   attended (outside the period)
    ann  Fri 12 09:00  admin 60 min;  ben Fri 12 08:00 leave 240 min
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from datetime import date

import pandas as pd
import pytest

from tests import factories
from tests.reports.conftest import SOURCES, Book, cluster_for, scenario
from thera_analytics.domain.errors import ValidationError
from thera_analytics.domain.kinds import EventKind
from thera_analytics.reports import attendance as att
from thera_analytics.reports import attendance_headline as headline
from thera_analytics.store.database import Database

JUNE = ("2026-06-01", "2026-06-30")


def build_june(tp: factories.TestPractice, book: Book) -> None:
    book(date(2026, 6, 1), 10, attendance="attended", plan_at=-2, sign_at=1)
    book(date(2026, 6, 2), 10, attendance="no_show", sign_at=30)
    book(date(2026, 6, 3), 11, who="ben", attendance="late_cancellation")
    book(date(2026, 6, 5), 9, who="ben", clients=(1,), cancel=True)
    book(date(2026, 6, 8), 11, who="ben", clients=(0, 1), kind=EventKind.GROUP_SESSION,
         minutes=90, service=book.group_service, attendance=["attended", "cancelled"])
    book(date(2026, 6, 9), 11, who="ben", direct=False, status="completed")
    book(date(2026, 6, 10), 11)
    book(date(2026, 6, 11), 11, clients=(2,), attendance="non_billable")
    book(date(2026, 7, 1), 10, attendance="attended")
    book.other(date(2026, 6, 12), 9, EventKind.ADMIN)
    book.other(date(2026, 6, 12), 8, EventKind.PERSONAL_LEAVE, who="ben", minutes=240)


@pytest.fixture(scope="module", params=SOURCES)
def june_scenario(request: pytest.FixtureRequest
                  ) -> Iterator[tuple[factories.TestPractice, Book]]:
    with scenario(build_june, cluster_for(request)) as built:
        yield built


@pytest.fixture
def june(june_scenario: tuple[factories.TestPractice, Book]) -> factories.TestPractice:
    return june_scenario[0]


def counts(table: pd.DataFrame, key: str) -> dict[object, tuple[int, ...]]:
    cols = ["sessions", "attended", "cancelled", "late_cancellation", "no_show",
            "non_billable", "unmarked"]
    return {row[key]: tuple(int(row[c]) for c in cols) for _, row in table.iterrows()}


def test_by_clinician(june: factories.TestPractice) -> None:
    table = att.attendance_by(june.db, "clinician", *JUNE)
    assert list(table["clinician"]) == ["Ann Archer", "Ben Brook"]
    #                                       all att can late no  nb  unmarked
    assert counts(table, "clinician") == {"Ann Archer": (4, 1, 0, 0, 1, 1, 1),
                                          "Ben Brook": (3, 1, 1, 1, 0, 0, 0)}
    ann, ben = table.iloc[0], table.iloc[1]
    assert ann["marked"] == 3 and ann["no_show_rate"] == pytest.approx(1 / 3)
    assert ann["attended_rate"] == pytest.approx(1 / 3)
    assert ben["cancelled_rate"] == pytest.approx(1 / 3)
    # billable: attended, late cancellation, no show; minutes are per client
    assert (ann["billable_sessions"], ann["billable_minutes"]) == (2, 100)
    assert (ann["not_billable_sessions"], ann["not_billable_minutes"]) == (1, 50)
    assert ann["unmarked_minutes"] == 50
    assert (ben["billable_sessions"], ben["billable_minutes"]) == (2, 140)
    assert (ben["not_billable_sessions"], ben["not_billable_minutes"]) == (1, 90)


def test_every_other_breakdown(june: factories.TestPractice) -> None:
    b = att.attendance_breakdowns(june.db, *JUNE)
    assert counts(b["service"], "service") == {"Group programme": (2, 1, 1, 0, 0, 0, 0),
                                               "Individual therapy": (5, 1, 0, 1, 1, 1, 1)}
    assert counts(b["kind"], "kind_label") == {"Client session": (5, 1, 0, 1, 1, 1, 1),
                                               "Group session": (2, 1, 1, 0, 0, 0, 0)}
    assert counts(b["month"], "month") == {"2026-06": (7, 2, 1, 1, 1, 1, 1)}
    assert counts(b["week"], "week_start") == {
        pd.Timestamp("2026-06-01"): (3, 1, 0, 1, 1, 0, 0),
        pd.Timestamp("2026-06-08"): (4, 1, 1, 0, 0, 1, 1)}
    assert counts(b["weekday"], "weekday_name") == {"Monday": (3, 2, 1, 0, 0, 0, 0),
                                                    "Tuesday": (1, 0, 0, 0, 1, 0, 0),
                                                    "Wednesday": (2, 0, 0, 1, 0, 0, 1),
                                                    "Thursday": (1, 0, 0, 0, 0, 1, 0)}
    # Cara's first visit is 1 June, Dan's the group on 8 June (his cancelled event does not
    # count), Eve's 11 June.
    assert counts(b["visit"], "visit") == {"First visit": (3, 1, 1, 0, 0, 1, 0),
                                           "Repeat visit": (4, 1, 0, 1, 1, 0, 1)}
    total = b["total"].iloc[0]
    assert (total["sessions"], total["marked"]) == (7, 6)
    assert total["no_show_rate"] == pytest.approx(1 / 6)


def test_filters_by_clinician_and_service(june_scenario: tuple[factories.TestPractice, Book]
                                          ) -> None:
    june, book = june_scenario
    ben = att.attendance_by(june.db, "total", *JUNE, clinician_id=june.ben.clinician_id)
    assert counts(ben.assign(k=0), "k") == {0: (3, 1, 1, 1, 0, 0, 0)}
    group = att.attendance_by(june.db, "clinician", *JUNE, service_id=book.group_service)
    assert counts(group, "clinician") == {"Ben Brook": (2, 1, 1, 0, 0, 0, 0)}


def test_an_empty_period_gives_empty_tables(june: factories.TestPractice) -> None:
    table = att.attendance_by(june.db, "clinician", "2025-01-01", "2025-01-31")
    assert table.empty and "no_show_rate" in table.columns


def test_trend_fills_empty_weeks_and_months(june: factories.TestPractice) -> None:
    weekly = att.attendance_trend(june.db, "2026-05-25", "2026-06-21")
    assert [str(d.date()) for d in weekly["week_start"]] == [
        "2026-05-25", "2026-06-01", "2026-06-08", "2026-06-15"]
    assert list(weekly["sessions"]) == [0, 3, 4, 0]
    assert list(weekly["no_show"]) == [0, 1, 0, 0]
    assert math.isnan(weekly["no_show_rate"].iloc[0])
    monthly = att.attendance_trend(june.db, "2026-05-01", "2026-07-31", freq="month")
    assert list(monthly["month"]) == ["2026-05", "2026-06", "2026-07"]
    assert list(monthly["sessions"]) == [0, 7, 1]


def test_billing_summary(june: factories.TestPractice) -> None:
    table = att.billing_summary(june.db, *JUNE)
    assert table[["billing", "sessions", "minutes"]].values.tolist() == [
        ["Billable", 4, 240], ["Not billable", 2, 140], ["Not marked", 1, 50]]
    assert table["share"].sum() == pytest.approx(1)


def test_clinician_time_counts_a_group_once_and_keeps_leave_apart(
        june: factories.TestPractice) -> None:
    table = att.clinician_time(june.db, *JUNE).set_index("clinician")
    assert table.loc["Ann Archer", ["direct_sessions", "direct_minutes", "indirect_minutes",
                                    "other_events", "other_minutes", "leave_minutes"]
                     ].tolist() == [4, 200, 0, 1, 60, 0]
    assert table.loc["Ben Brook", ["direct_sessions", "direct_minutes", "indirect_sessions",
                                   "indirect_minutes", "other_minutes", "leave_minutes"]
                     ].tolist() == [2, 140, 1, 50, 0, 240]
    assert table.loc["Ben Brook", "direct_share"] == pytest.approx(140 / 190)


def test_summary_names_the_highest_no_show_and_compares_with_last_period(
        tp: factories.TestPractice, book: Book, read: Callable[[], Database]) -> None:
    build_june(tp, book)
    # May: one attended session, so no shows went from 0% to 1 in 6.
    book(date(2026, 5, 27), 10, attendance="attended")
    summary = headline.attendance_summary(read(), *JUNE)
    figures = summary.figures()
    assert figures["previous"] == "2026-05-01..2026-05-31"
    assert figures["rates_pct"]["no_show"] == 16.7
    assert figures["previous_rates_pct"]["no_show"] == 0.0
    assert figures["highest_no_show_clinician"] == {"name": "Ann Archer", "no_show": 1,
                                                    "marked": 3, "rate_pct": 33.3}
    assert figures["highest_no_show_weekday"]["name"] == "Tuesday"
    text = summary.markdown()
    assert "**Ann Archer**, 33.3% (1 of 3)" in text
    assert "no show 16.7% (+16.7 points)" in text
    assert "against May 2026" in text


def test_names_in_the_summary_cannot_inject_markup(tp: factories.TestPractice, book: Book,
                                                  read: Callable[[], Database]) -> None:
    tp.db.cursor().execute("UPDATE clinicians SET name = '<script>x</script>*Ann*' WHERE id = ?",
                           [tp.ann.clinician_id])
    book(date(2026, 6, 2), 10, attendance="no_show")
    text = headline.attendance_summary(read(), *JUNE).markdown()
    assert "<script>" not in text and "&lt;script&gt;" in text and r"\*Ann\*" in text


def test_rate_table_is_for_reading(june: factories.TestPractice) -> None:
    table = att.rate_table(att.attendance_by(june.db, "clinician", *JUNE), "clinician")
    assert list(table.columns[:4]) == ["Clinician", "Client sessions", "Marked", "Attended %"]
    assert table["No show %"].tolist() == [33.3, 0.0]


def test_long_table_stacks_every_breakdown(june: factories.TestPractice) -> None:
    long = att.attendance_long(att.attendance_breakdowns(june.db, *JUNE))
    assert long.groupby("dimension").size().to_dict() == {
        "clinician": 2, "kind": 2, "month": 1, "service": 2, "total": 1, "visit": 2,
        "week": 2, "weekday": 4}
    assert long.loc[long["dimension"] == "total", "group"].tolist() == ["All"]


def test_unknown_breakdown_is_refused(june: factories.TestPractice) -> None:
    with pytest.raises(ValidationError) as caught:
        att.attendance_by(june.db, "colour", *JUNE)
    assert caught.value.field == "by"
