"""The figures the report notebooks show agree with direct SQL over the analysts' views.

Each notebook is executed here against the fixed sample (its database path injected after the
cell tagged ``parameters``), and its ``key-figures`` cell, the numbers behind its written
summary, is compared with ``session_facts`` / ``note_backlog`` / ``event_status`` queried
directly for the same period and instant.
"""

from __future__ import annotations

import ast
import calendar
import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import nbformat
import pytest

from tests.notebooks.conftest import NOTEBOOKS
from tests.notebooks.sample_practice import AS_OF
from thera_analytics import reports
from thera_app import html_report as export

pytestmark = pytest.mark.slow


def key_figures(nb: Any) -> dict[str, Any]:
    cell = next(c for c in nb.cells if "key-figures" in c.metadata.get("tags", []))
    return ast.literal_eval(cell.outputs[0]["data"]["text/plain"])


def executed(name: str, sample_db: Path) -> Any:
    """The notebook run on the sample at the sample's "now", its periods left to default."""
    nb = export.execute_notebook(NOTEBOOKS / name, {"db_path": str(sample_db),
                                                     "as_of": AS_OF.isoformat()})
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o["output_type"] == "error"]
    assert not errors
    return nb


@pytest.fixture(scope="module")
def attendance_nb(sample_db: Path) -> Any:
    return executed("attendance_report.ipynb", sample_db)


@pytest.fixture(scope="module")
def backlog_nb(sample_db: Path) -> Any:
    return executed("unsigned_notes_backlog.ipynb", sample_db)


def test_attendance_figures_agree_with_session_facts(attendance_nb: Any, sample_db: Path
                                                     ) -> None:
    figures = key_figures(attendance_nb)
    # The default period: the month before the one holding the sample's latest session.
    assert figures["period"] == "2026-10-01..2026-10-31"
    period = reports.Period.parse(figures["period"])
    previous = period.previous()
    with reports.open_for_reading(sample_db) as db:
        def totals(first: object, last: object) -> Any:
            return db.df(
                "SELECT COUNT(*) AS sessions, COUNT(attendance) AS marked,"
                + ", ".join(f" COUNT(*) FILTER (WHERE attendance = '{v}') AS {v}"
                            for v in figures["rates_pct"])
                + ", COUNT(*) FILTER (WHERE billable) AS billable,"
                " COALESCE(SUM(duration_minutes) FILTER (WHERE billable), 0) AS billable_min,"
                " COUNT(*) FILTER (WHERE NOT billable) AS not_billable"
                " FROM session_facts WHERE direct AND local_date BETWEEN ? AND ?",
                [first, last]).iloc[0]

        now, before = totals(period.start, period.end), totals(previous.start, previous.end)
        top = db.df(
            "SELECT c.name, COUNT(*) FILTER (WHERE f.attendance = 'no_show') AS no_show,"
            " COUNT(f.attendance) AS marked FROM session_facts f JOIN clinicians c"
            " ON c.id = f.clinician_id WHERE f.direct AND f.local_date BETWEEN ? AND ?"
            " GROUP BY c.name ORDER BY no_show / marked DESC, no_show DESC, c.name LIMIT 1",
            [period.start, period.end]).iloc[0]
        day = db.df(
            "SELECT weekday, COUNT(*) FILTER (WHERE attendance = 'no_show') AS no_show,"
            " COUNT(attendance) AS marked FROM session_facts WHERE direct"
            " AND local_date BETWEEN ? AND ? GROUP BY weekday"
            " ORDER BY no_show / marked DESC, no_show DESC LIMIT 1",
            [period.start, period.end]).iloc[0]
    assert figures["client_sessions"] == now["sessions"] > 0
    assert figures["marked"] == now["marked"]
    for value, pct in figures["rates_pct"].items():
        assert pct == round(100 * now[value] / now["marked"], 1), value
    for value, pct in figures["previous_rates_pct"].items():
        assert pct == round(100 * before[value] / before["marked"], 1), value
    assert figures["billable_sessions"] == now["billable"]
    assert figures["billable_minutes"] == now["billable_min"]
    assert figures["not_billable_sessions"] == now["not_billable"]
    assert figures["highest_no_show_clinician"] == {
        "name": top["name"], "no_show": top["no_show"], "marked": top["marked"],
        "rate_pct": round(100 * top["no_show"] / top["marked"], 1)}
    assert figures["highest_no_show_weekday"]["name"] == calendar.day_name[int(day["weekday"])]


def test_backlog_figures_agree_with_note_backlog(backlog_nb: Any, sample_db: Path) -> None:
    figures = key_figures(backlog_nb)
    as_of = datetime.fromisoformat(figures["as_of"])
    assert as_of == AS_OF
    # The default period: the four whole weeks before the week of the latest session.
    assert figures["period"] == "2026-10-19..2026-11-15"
    period = reports.Period.parse(figures["period"])
    with reports.open_for_reading(sample_db) as db:
        # The sample stops at as_of, so the view's rows that ended before it are the backlog
        # then; ages are recomputed at as_of (the view measures them from now).
        assert db.df("SELECT CURRENT_TIMESTAMP > ?", [as_of]).iloc[0, 0]
        age = "EXTRACT(EPOCH FROM (CAST(? AS TIMESTAMPTZ) - n.ends_at)) / 3600.0"
        buckets = db.df(
            f"SELECT b.bucket, COUNT(*) AS n FROM note_backlog n JOIN age_buckets b"
            f" ON {age} >= b.min_hours AND {age} < b.max_hours WHERE n.ends_at < ?"
            " GROUP BY b.bucket", [as_of, as_of, as_of])
        by_clinician = db.df(
            "SELECT c.name, COUNT(*) AS n, MIN(n.ends_at) AS oldest FROM note_backlog n"
            " JOIN clinicians c ON c.id = n.clinician_id WHERE n.ends_at < ?"
            " GROUP BY c.name ORDER BY n DESC, oldest, c.name", [as_of])
        oldest = db.df("SELECT event_id FROM note_backlog WHERE ends_at < ?"
                       " ORDER BY ends_at, event_id LIMIT 1", [as_of]).iloc[0, 0]
        week_ago = db.df("SELECT COUNT(*) FROM event_status WHERE ends_at < ? AND NOT"
                         " COALESCE(dot_details AND dot_outcome AND signed_at <= ?"
                         " AND plan_saved_at <= ?, FALSE)",
                         [as_of - timedelta(days=7)] * 3).iloc[0, 0]
        signing = db.df(
            "SELECT COUNT(*) AS notes,"
            " COUNT(*) FILTER (WHERE signed_at <= ? AND signed_at < ends_at + INTERVAL 24 HOUR)"
            " AS d24,"
            " COUNT(*) FILTER (WHERE signed_at <= ? AND signed_at < ends_at + INTERVAL 48 HOUR)"
            " AS d48 FROM event_status WHERE ends_at < ? AND local_date BETWEEN ? AND ?",
            [as_of, as_of, as_of, period.start, period.end]).iloc[0]
        amendable = db.df("SELECT COUNT(*) FROM event_status WHERE signed_at > ?"
                          " AND signed_at <= ?", [as_of - timedelta(hours=24), as_of]
                          ).iloc[0, 0]
    expected = dict.fromkeys(figures["by_bucket"], 0)
    expected.update(zip(buckets["bucket"], buckets["n"].astype(int), strict=True))
    assert figures["by_bucket"] == expected
    assert figures["backlog"] == int(buckets["n"].sum()) > 10  # tens: a backlog that is chased
    assert figures["over_48h"] == int(buckets.loc[
        buckets["bucket"].isin(["2-7 d", "7-14 d", ">14 d"]), "n"].sum())
    assert figures["largest_clinician"] == by_clinician.iloc[0]["name"]
    assert figures["largest_clinician_notes"] == by_clinician.iloc[0]["n"]
    assert figures["oldest_event_id"] == oldest
    assert figures["week_change"] == figures["backlog"] - week_ago
    assert figures["notes_in_period"] == signing["notes"]
    assert figures["signed_within_24h_pct"] == round(100 * signing["d24"] / signing["notes"], 1)
    assert figures["signed_within_48h_pct"] == round(100 * signing["d48"] / signing["notes"], 1)
    assert figures["amendable"] == amendable


@pytest.mark.parametrize("name", ["attendance_report.ipynb", "unsigned_notes_backlog.ipynb"])
def test_stored_figures_are_what_a_fresh_run_shows(name: str, attendance_nb: Any,
                                                    backlog_nb: Any) -> None:
    fresh = attendance_nb if name.startswith("attendance") else backlog_nb
    stored = nbformat.read(NOTEBOOKS / name, as_version=4)
    assert key_figures(stored) == key_figures(fresh)


@pytest.mark.parametrize("name", ["attendance_report.ipynb", "unsigned_notes_backlog.ipynb"])
def test_notebooks_only_call_the_package(name: str) -> None:
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for node in ast.walk(ast.parse(cell.source)):
            assert not isinstance(node, ast.FunctionDef | ast.ClassDef | ast.Lambda | ast.For)
            if isinstance(node, ast.ImportFrom):
                assert (node.module or "").split(".")[0] in {"thera_analytics", "dashboards", "IPython"}
            if isinstance(node, ast.Import):
                assert all(a.name in {"os"} for a in node.names)


@pytest.mark.parametrize("name", ["attendance_report.ipynb", "unsigned_notes_backlog.ipynb"])
def test_stored_outputs_are_small_and_hold_no_local_paths(name: str) -> None:
    text = (NOTEBOOKS / name).read_text()
    assert len(text) < 400_000
    outputs = json.dumps([c.get("outputs", []) for c in json.loads(text)["cells"]])
    for marker in ("/tmp/", "/home/", "/root/", "/work/", str(NOTEBOOKS.parent)):
        assert marker not in outputs
