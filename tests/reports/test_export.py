"""write_report's csv, parquet and markdown outputs, its defaults, and its refusals."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from tests import factories
from tests.reports.conftest import SOURCES, Book, cluster_for, scenario
from thera_analytics.domain.errors import PracticeError, ValidationError
from thera_analytics.reports import export
from thera_analytics.reports.period import Period
from thera_analytics.reports.readable import markdown_table
from thera_app import notebook_run, report_page

AS_OF = datetime(2026, 6, 12, 12, 0, tzinfo=UTC)


def build(tp: factories.TestPractice, book: Book) -> None:
    book(date(2026, 5, 4), 10, attendance="attended", plan_at=-2, sign_at=1)
    book(date(2026, 5, 5), 10, attendance="no_show", sign_at=30)
    book(date(2026, 5, 6), 11, who="ben", attendance="late_cancellation")
    book(date(2026, 6, 10), 11, attendance="attended", plan_at=-1)


@pytest.fixture(scope="module", params=SOURCES)
def practice(request: pytest.FixtureRequest) -> Iterator[factories.TestPractice]:
    with scenario(build, cluster_for(request)) as (tp, _):
        yield tp


def test_attendance_csv_to_stdout_defaults_to_last_month(practice: factories.TestPractice,
                                                        capsys: pytest.CaptureFixture[str],
                                                        ) -> None:
    assert export.write_report(practice.db, "attendance", "csv", None, as_of=AS_OF) is None
    table = pd.read_csv(io.StringIO(capsys.readouterr().out))
    assert table.columns[:3].tolist() == ["dimension", "group", "sessions"]
    total = table[table["dimension"] == "total"].iloc[0]
    assert (total["sessions"], total["attended"], total["no_show"]) == (3, 1, 1)  # May only
    assert table.loc[table["dimension"] == "month", "group"].tolist() == ["2026-05"]


def test_backlog_csv_and_parquet_files(practice: factories.TestPractice, tmp_path: Path) -> None:
    out = export.write_report(practice.db, "backlog", "csv", tmp_path / "b.csv", as_of=AS_OF)
    assert out == tmp_path / "b.csv"
    table = pd.read_csv(out)
    assert table["missing"].tolist() == ["plan", "plan, signature", "signature"]
    parquet = export.write_report(practice.db, "backlog", "parquet", tmp_path / "x/b.parquet",
                                  as_of=AS_OF)
    assert parquet is not None
    assert pd.read_parquet(parquet)["event_id"].tolist() == table["event_id"].tolist()


def test_completion_defaults_to_the_four_weeks_before_the_latest_session(
        practice: factories.TestPractice, tmp_path: Path) -> None:
    # The latest session by AS_OF is on Wednesday 10 June: the four whole weeks before its week.
    assert export.report_period(practice.db, "completion", None, None, AS_OF) == Period(
        date(2026, 5, 11), date(2026, 6, 7))
    assert export.report_period(practice.db, "attendance", None, None, AS_OF) == Period(
        date(2026, 5, 1), date(2026, 5, 31))
    out = export.write_report(practice.db, "completion", "csv", tmp_path / "c.csv",
                              as_of=AS_OF, start="2026-05-04")
    assert out is not None
    table = pd.read_csv(out)
    assert sorted(set(table["week_start"])) == ["2026-05-04"]  # 4 May .. 7 June
    one = export.write_report(practice.db, "completion", "csv", tmp_path / "d.csv",
                              as_of=AS_OF, start="2026-05-01", end="2026-05-31",
                              clinician_id=practice.ben.clinician_id)
    assert one is not None
    assert pd.read_csv(one)[["clinician", "ended", "complete"]].values.tolist() == [
        ["Ben Brook", 1, 0]]


def test_markdown_holds_the_summary_and_tables(practice: factories.TestPractice,
                                               tmp_path: Path) -> None:
    out = export.write_report(practice.db, "attendance", "markdown", tmp_path / "a.md",
                              start="2026-05-01", end="2026-05-31")
    assert out is not None
    text = out.read_text()
    assert text.startswith("# Attendance report, May 2026")
    assert "| Clinician | Client sessions | Marked | Attended % |" in text
    assert "| Ann Archer | 2 | 2 | 50.0 |" in text
    backlog = export.write_report(practice.db, "backlog", "markdown", tmp_path / "b.md",
                                  as_of=AS_OF)
    assert backlog is not None
    assert "**Unsigned-note backlog at 2026-06-12 13:00 BST:** 3 past" in backlog.read_text()


def test_markdown_cells_are_escaped() -> None:
    table = pd.DataFrame({"name": ["<b>A|B</b>"], "share": [0.12345], "n": [3]})
    assert markdown_table(table).splitlines() == [
        "| name | Share % | n |", "|---|---:|---:|", "| &lt;b>A\\|B&lt;/b> | 12.3 | 3 |"]


def test_markdown_tables_read_as_text() -> None:
    """Headings in words with units, thousands separators, no index, nothing escaped that
    needs no escaping ("<24 h", dates)."""
    table = pd.DataFrame({"clinician_id": [7], "clinician": ["Ann Archer"], "<24 h": [1200],
                          "oldest_hours": [2633.25], "direct_minutes": [39000],
                          "week_start": [pd.Timestamp("2026-08-17")], "No show %": [8.0]})
    assert markdown_table(table).splitlines() == [
        "| Clinician | <24 h | Oldest (hours) | Direct minutes | Week starting | No show % |",
        "|---|---:|---:|---:|---|---:|",
        "| Ann Archer | 1,200 | 2,633.2 | 39,000 | 2026-08-17 | 8.0 |"]


@pytest.mark.parametrize(("name", "fmt", "out", "field"), [
    ("payroll", "csv", None, "name"),
    ("backlog", "xlsx", None, "format"),
    ("backlog", "parquet", None, "out"),
    ("attendance", "html", None, "out"),
])
def test_refusals_name_the_field(practice: factories.TestPractice, name: str, fmt: str,
                                 out: None, field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        export.write_report(practice.db, name, fmt, out)
    assert caught.value.field == field


def test_a_period_ending_before_it_starts_is_refused(practice: factories.TestPractice) -> None:
    with pytest.raises(ValidationError) as caught:
        export.write_report(practice.db, "attendance", "csv", None, start="2026-06-30",
                            end="2026-06-01")
    assert caught.value.field == "end"


def test_papermill_runs_the_notebook_with_the_parameters_it_declares(tmp_path: Path) -> None:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# Report"),
                nbformat.v4.new_code_cell("db_path = 'x'\nstart = None"),
                nbformat.v4.new_code_cell("import os\nprint(start, db_path, os.environ['MARK'])")]
    nb.cells[1].metadata["tags"] = ["parameters"]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}  # as the report notebooks say
    notebook = tmp_path / "report.ipynb"
    nbformat.write(nb, notebook)
    log = tmp_path / "kernel.log"
    done = notebook_run.execute_notebook(
        notebook, {"start": "2026-11-01", "db_path": "y.duckdb", "as_of": "not declared"},
        env={"MARK": "from the report"}, log=log)
    injected = done.cells[2]
    assert injected.metadata["tags"] == [notebook_run.INJECTED_TAG]
    assert "start = \"2026-11-01\"" in injected.source and "as_of" not in injected.source
    assert done.cells[3].outputs[0]["text"] == "2026-11-01 y.duckdb from the report\n"
    assert "papermill" in done.metadata
    assert nbformat.read(notebook, as_version=4).cells[2].source.startswith("import os")


def test_a_notebook_without_a_parameters_cell_is_refused(tmp_path: Path) -> None:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("start = None")]
    nbformat.write(nb, tmp_path / "report.ipynb")
    with pytest.raises(PracticeError, match="no cell tagged 'parameters'"):
        notebook_run.execute_notebook(tmp_path / "report.ipynb", {"start": "2026-11-01"})


def test_panel_stylesheets_are_inlined() -> None:
    page = '{"url":"https://cdn.holoviz.org/panel/1.9.4/dist/css/loading.css?v=1.9.4"}'
    inlined = report_page.inline_panel_css(page)
    assert inlined.startswith('{"url":"data:text/css;base64,') and "cdn" not in inlined
