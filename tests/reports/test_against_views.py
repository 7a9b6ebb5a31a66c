"""The report functions agree with the analysts' views, computed directly in SQL.

Run over the fixed sample practice (six clinicians, 16 weeks, generated with a fixed seed):
every figure here is recomputed from ``session_facts``, ``event_status`` or ``note_backlog``.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pandas as pd
import pytest

from tests.notebooks.sample_practice import AS_OF, build_sample
from tests.reports.conftest import SOURCES, cluster_for
from thera_analytics import reports
from thera_analytics.reports.source import take_snapshot
from thera_analytics.store.copying import copy_practice
from thera_analytics.store.database import Database

OCTOBER = ("2026-10-01", "2026-10-31")
WEEKS = ("2026-10-26", "2026-11-22")
VALUES = ["attended", "cancelled", "late_cancellation", "no_show", "non_billable"]


@pytest.fixture(scope="module", params=SOURCES)
def db(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
       ) -> Iterator[Database]:
    """The sample practice generated into a DuckDB file, or that practice in PostgreSQL (as
    `thera sample --db postgresql://...` makes it: generated, then moved) read from its analyst
    snapshot."""
    folder = Path(tmp_path_factory.mktemp("sample"))
    path = build_sample(folder / "sample.duckdb")
    cluster = cluster_for(request)
    if cluster is not None:
        url = cluster.create_database(template=cluster.template)
        try:
            with Database(path, read_only=True) as generated:
                copy_practice(generated, url)
            with Database(url) as live:
                path = take_snapshot(live, folder / "analyst.duckdb").path
        finally:
            cluster.drop_database(url)
    with reports.open_for_reading(path) as database:
        yield database


def facts_by(db: Database, key: str) -> pd.DataFrame:
    cases = ", ".join(f"COUNT(*) FILTER (WHERE attendance = '{v}') AS {v}" for v in VALUES)
    return db.df(
        f"SELECT {key} AS key, COUNT(*) AS sessions, COUNT(attendance) AS marked, {cases},"
        " COALESCE(SUM(duration_minutes) FILTER (WHERE billable), 0) AS billable_minutes"
        " FROM session_facts WHERE direct AND local_date BETWEEN ? AND ?"
        f" GROUP BY {key} ORDER BY key", list(OCTOBER))


@pytest.mark.parametrize(("dim", "key", "column"), [
    ("clinician", "clinician_id", "clinician_id"),
    ("service", "service_id", "service_id"),
    ("kind", "CAST(kind AS VARCHAR)", "kind"),
    ("month", "month_key", "month_key"),
    ("week", "week_start", "week_start"),
    ("weekday", "weekday", "weekday"),
    ("visit", "first_visit", "first_visit"),
])
def test_attendance_breakdowns_match_session_facts(db: Database, dim: str, key: str,
                                                    column: str) -> None:
    table = reports.attendance_by(db, dim, *OCTOBER).sort_values(column).reset_index(drop=True)
    direct = facts_by(db, key)
    assert table[column].astype(str).tolist() == direct["key"].astype(str).tolist()
    for col in ["sessions", "marked", *VALUES, "billable_minutes"]:
        assert table[col].tolist() == direct[col].tolist(), col
    assert table["no_show_rate"].tolist() == pytest.approx(
        (direct["no_show"] / direct["marked"]).tolist())


def test_attendance_summary_matches_session_facts(db: Database) -> None:
    figures = reports.attendance_summary(db, *OCTOBER).figures()
    by_clinician = db.df(
        "SELECT c.name, COUNT(*) FILTER (WHERE f.attendance = 'no_show') AS no_show,"
        " COUNT(f.attendance) AS marked FROM session_facts f JOIN clinicians c"
        " ON c.id = f.clinician_id WHERE f.direct AND f.local_date BETWEEN ? AND ?"
        " GROUP BY c.name ORDER BY no_show / marked DESC, no_show DESC, c.name",
        list(OCTOBER))
    top = by_clinician.iloc[0]
    assert figures["highest_no_show_clinician"]["name"] == top["name"]
    assert figures["highest_no_show_clinician"]["no_show"] == top["no_show"]
    by_weekday = db.df(
        "SELECT weekday, COUNT(*) FILTER (WHERE attendance = 'no_show') AS no_show,"
        " COUNT(attendance) AS marked FROM session_facts WHERE direct"
        " AND local_date BETWEEN ? AND ? GROUP BY weekday"
        " ORDER BY no_show / marked DESC, no_show DESC", list(OCTOBER))
    weekday = calendar.day_name[int(by_weekday.iloc[0]["weekday"])]
    assert figures["highest_no_show_weekday"]["name"] == weekday
    september = db.df("SELECT COUNT(attendance) FILTER (WHERE attendance = 'attended')"
                      " * 100.0 / COUNT(attendance) FROM session_facts WHERE direct"
                      " AND month_key = 202609").iloc[0, 0]
    assert figures["previous_rates_pct"]["attended"] == round(september, 1)


def test_clinician_time_matches_events(db: Database) -> None:
    table = reports.clinician_time(db, *OCTOBER).set_index("clinician_id")
    direct = db.df(
        "SELECT e.clinician_id, SUM(e.duration_minutes) FILTER (WHERE e.direct) AS d,"
        " COALESCE(SUM(e.duration_minutes) FILTER (WHERE NOT e.direct), 0) AS i"
        " FROM events e JOIN event_status s ON s.event_id = e.id"
        " WHERE e.local_date BETWEEN ? AND ? GROUP BY e.clinician_id", list(OCTOBER)
    ).set_index("clinician_id")
    assert table["direct_minutes"].sort_index().tolist() == direct["d"].sort_index().tolist()
    assert table["indirect_minutes"].sort_index().tolist() == direct["i"].sort_index().tolist()


def test_backlog_matches_note_backlog(db: Database) -> None:
    """The sample stops at AS_OF, so the view's rows that ended before it are the backlog
    then (the view measures ages from now, so buckets are recomputed at AS_OF)."""
    assert db.df("SELECT CURRENT_TIMESTAMP > ?", [AS_OF]).iloc[0, 0]
    view = db.df(
        "SELECT n.event_id, n.clinician_id, n.missing, b.bucket FROM note_backlog n"
        " JOIN age_buckets b ON EXTRACT(EPOCH FROM (CAST(? AS TIMESTAMPTZ) - n.ends_at))"
        " / 3600.0 >= b.min_hours AND EXTRACT(EPOCH FROM (CAST(? AS TIMESTAMPTZ) - n.ends_at))"
        " / 3600.0 < b.max_hours WHERE n.ends_at < ? ORDER BY n.ends_at, n.event_id",
        [AS_OF, AS_OF, AS_OF])
    items = reports.backlog_items(db, AS_OF)
    assert len(items) == len(view) > 20  # a practice that chases its backlog: tens
    assert items["event_id"].tolist() == view["event_id"].tolist()
    assert items["missing"].tolist() == view["missing"].tolist()
    assert items["age_bucket"].tolist() == view["bucket"].tolist()
    counts = reports.backlog_by_clinician(db, AS_OF).set_index("clinician_id")
    direct = view.groupby("clinician_id").size()
    assert counts["total"].sort_index().tolist() == direct.sort_index().tolist()


def test_backlog_week_by_week_matches_the_backlog_at_each_week_end(db: Database) -> None:
    trend = reports.backlog_trend(db, *WEEKS, as_of=AS_OF)
    for row in trend.itertuples():
        assert row.backlog == len(reports.backlog_items(db, row.as_of.to_pydatetime()))


def test_signing_shares_match_event_status(db: Database) -> None:
    table = reports.signing_times(db, *WEEKS, as_of=AS_OF, by="practice").iloc[0]
    direct = db.df(
        "SELECT COUNT(*) AS notes,"
        " COUNT(*) FILTER (WHERE signed_at <= ? AND signed_at < ends_at + INTERVAL 24 HOUR)"
        " AS d24,"
        " COUNT(*) FILTER (WHERE signed_at <= ? AND signed_at < ends_at + INTERVAL 48 HOUR)"
        " AS d48,"
        " COUNT(*) FILTER (WHERE signed_at IS NULL OR signed_at > ?) AS unsigned"
        " FROM event_status WHERE ends_at < ? AND local_date BETWEEN ? AND ?",
        [AS_OF, AS_OF, AS_OF, AS_OF, *WEEKS]).iloc[0]
    assert table["notes"] == direct["notes"]
    assert table["within_24h"] == direct["d24"]
    assert table["within_24h"] + table["within_24_48h"] == direct["d48"]
    assert table["not_signed"] == direct["unsigned"]
    dist = reports.signing_delay_distribution(db, *WEEKS, as_of=AS_OF)
    assert dist["notes"].sum() == direct["notes"]


def test_amendable_notes_match_event_status(db: Database) -> None:
    ids = db.df("SELECT event_id FROM event_status WHERE signed_at > ? AND signed_at <= ?"
                " ORDER BY signed_at, event_id", [AS_OF - timedelta(hours=24), AS_OF])
    assert reports.amendable_notes(db, AS_OF)["event_id"].tolist() == ids["event_id"].tolist()


def test_completion_matches_event_status(db: Database) -> None:
    """With as_of after everything, completion is event_status's dots as stored."""
    later = AS_OF + timedelta(days=400)
    table = reports.completion_by_week(db, *WEEKS, as_of=later)
    direct = db.df(
        "SELECT clinician_id, week_start, COUNT(*) AS n,"
        " COUNT(*) FILTER (WHERE dot_plan) AS plan,"
        " COUNT(*) FILTER (WHERE dot_outcome) AS outcome,"
        " COUNT(*) FILTER (WHERE dot_details AND dot_plan AND dot_outcome) AS complete"
        " FROM event_status WHERE local_date BETWEEN ? AND ?"
        " GROUP BY clinician_id, week_start ORDER BY week_start, clinician_id", list(WEEKS))
    table = table.sort_values(["week_start", "clinician_id"]).reset_index(drop=True)
    assert table["client_events"].tolist() == direct["n"].tolist()
    assert table["plan"].tolist() == direct["plan"].tolist()
    assert table["outcome"].tolist() == direct["outcome"].tolist()
    assert table["complete"].tolist() == direct["complete"].tolist()
