"""`thera report cancellations` and `thera report changes`: CSV, Parquet and Markdown files."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from tests.factories import make_practice
from tests.reports.conftest import Book
from thera_analytics.domain.errors import ValidationError
from thera_analytics.reports import export
from thera_app.cli import main


@pytest.fixture
def practice_file(tmp_path: Path) -> Path:
    path = tmp_path / "practice.duckdb"
    tp = make_practice(str(path))
    book = Book(tp)
    book(date(2026, 6, 3), 10, cancel=True, reason="weather")
    book(date(2026, 6, 4), 11, who="ben", clients=(1,), attendance="cancelled",
         reason=("other", "Moving house"))
    book(date(2026, 6, 5), 9, attendance="attended")
    tp.db.close()
    return path


def _report(path: Path, out: Path, name: str, *more: str) -> None:
    assert main(["report", name, "--db", str(path), "--out", str(out), "--from", "2026-06-01",
                 "--to", "2026-06-30", "--as-of", "2026-07-01T00:00:00+00:00", *more]) == 0


def test_the_cancellation_report_as_csv_parquet_and_markdown(practice_file, tmp_path):
    _report(practice_file, tmp_path / "c.csv", "cancellations")
    table = pd.read_csv(tmp_path / "c.csv")
    assert table[["client", "kind", "reason", "notice"]].values.tolist() == [
        ["Cara Cole", "event", "Weather", "2–7 days"],
        ["Dan Dale", "cancelled", "Other", "After the start"],
    ]
    assert table["reason_text"].fillna("").tolist() == ["", "Moving house"]
    _report(practice_file, tmp_path / "c.parquet", "cancellations")
    assert pd.read_parquet(tmp_path / "c.parquet")["reason"].tolist() == ["Weather", "Other"]
    _report(practice_file, tmp_path / "c.md", "cancellations")
    text = (tmp_path / "c.md").read_text()
    assert "# Cancellations, " in text and "## By reason" in text and "## By notice given" in text
    assert "| Weather" in text and "Rebooking rate %" in text


def test_the_changes_report_for_one_client(practice_file, tmp_path):
    _report(practice_file, tmp_path / "all.csv", "changes")
    everything = pd.read_csv(tmp_path / "all.csv")
    assert {"Booked", "Cancelled", "Outcome recorded"} <= set(everything["what"])
    _report(practice_file, tmp_path / "dan.csv", "changes", "--client", "2")
    dan = pd.read_csv(tmp_path / "dan.csv")
    assert dan["what"].tolist() == ["Outcome recorded", "Booked"]
    assert "Cancellation reason (Dan Dale): — → Other" in dan.loc[0, "details"]
    _report(practice_file, tmp_path / "dan.md", "changes", "--client", "2")
    assert "| Outcome recorded" in (tmp_path / "dan.md").read_text()


def test_changes_has_no_html_page(practice_file):
    from thera_analytics.store import Database
    with Database(practice_file, read_only=True) as db, pytest.raises(ValidationError) as err:
        export.write_report(db, "changes", "html", "x.html", html=lambda *a: Path("x"))
    assert err.value.field == "format"
