"""A database path given relatively is found where the user started, or in the repository."""

from __future__ import annotations

from pathlib import Path

import pytest

from thera_analytics.domain.errors import PracticeError
from thera_analytics.reports import location


def a_file(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"")
    return path


def test_a_relative_path_is_found_where_the_user_started(tmp_path: Path) -> None:
    """A kernel runs in notebooks/, but $PWD is the folder the analyst typed the command in."""
    started, kernel = tmp_path / "project", tmp_path / "project" / "notebooks"
    kernel.mkdir(parents=True)
    db = a_file(started / "data" / "practice.duckdb")
    found = location.locate_database("data/practice.duckdb", cwd=kernel,
                                     env={"PWD": str(started)})
    assert found == db.resolve()


def test_the_current_folder_comes_first(tmp_path: Path) -> None:
    here = a_file(tmp_path / "a" / "p.duckdb")
    a_file(tmp_path / "b" / "p.duckdb")
    assert location.locate_database("p.duckdb", cwd=tmp_path / "a",
                                    env={"PWD": str(tmp_path / "b")}) == here.resolve()


def test_then_the_repository(tmp_path: Path) -> None:
    root = location.repository_root()
    assert root is not None and (root / "notebooks").is_dir()
    found = location.locate_database("notebooks/README.md", cwd=tmp_path, env={})
    assert found == root / "notebooks" / "README.md"


def test_none_means_thera_db(tmp_path: Path) -> None:
    db = a_file(tmp_path / "x.duckdb")
    assert location.locate_database(None, cwd=tmp_path, env={"THERA_DB": "x.duckdb"}) == db


def test_a_missing_database_names_every_absolute_path_tried(tmp_path: Path) -> None:
    kernel, started = tmp_path / "k", tmp_path / "s"
    with pytest.raises(PracticeError) as caught:
        location.locate_database("data/none.duckdb", cwd=kernel, env={"PWD": str(started)})
    message = str(caught.value)
    assert message.startswith("db: ")
    for base in (kernel, started, location.repository_root()):
        assert str(Path(base) / "data" / "none.duckdb") in message
    assert "THERA_DB" in message


def test_an_absolute_path_is_taken_as_it_is(tmp_path: Path) -> None:
    with pytest.raises(PracticeError, match=str(tmp_path / "gone.duckdb")):
        location.locate_database(tmp_path / "gone.duckdb", cwd=Path("/"), env={})
