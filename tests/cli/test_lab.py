"""``thera lab``: the JupyterLab command it runs, and where its database comes from."""

from __future__ import annotations

from pathlib import Path

import pytest

from thera_analytics.domain.errors import PracticeError
from thera_app import cli, lab


def test_jupyterlab_listens_on_loopback_and_fetches_nothing(tmp_path: Path) -> None:
    db = tmp_path / "p.duckdb"
    command, env = lab.lab_command(db, port=18888, open_browser=False)
    assert command[1:3] == ["-m", "jupyterlab"]
    assert "--ServerApp.ip=127.0.0.1" in command
    assert "--ServerApp.port=18888" in command and "--ServerApp.port_retries=0" in command
    assert f"--ServerApp.root_dir={lab.notebooks_folder()}" in command
    assert "--ServerApp.open_browser=False" in command
    assert "--LabApp.news_url=None" in command
    assert "--LabApp.extension_manager=readonly" in command
    assert env["THERA_DB"] == str(db)


def test_the_database_is_made_absolute_for_the_kernels(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "x.duckdb").write_bytes(b"")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("THERA_DB", raising=False)
    assert lab.resolve_lab_database(Path("data/x.duckdb")) == tmp_path / "data" / "x.duckdb"


def test_without_a_database_the_demo_practice_is_generated(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("THERA_DB", raising=False)
    monkeypatch.setattr(lab, "candidates", lambda value: [tmp_path / value])
    made: list[Path] = []
    assert lab.resolve_lab_database(None, generate=made.append) == tmp_path / "data" / \
        "demo.duckdb"
    assert made == [tmp_path / "data" / "demo.duckdb"]


def test_a_missing_database_is_refused_naming_the_absolute_path(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    assert cli.main(["lab", "--db", "nowhere.duckdb", "--no-browser"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("thera lab: error: db: no practice database at ")
    assert str(tmp_path / "nowhere.duckdb") in err


def test_a_notebooks_folder_that_is_not_there_is_refused(tmp_path: Path) -> None:
    with pytest.raises(PracticeError, match="notebooks: .* is not a folder"):
        lab.lab_command(tmp_path / "p.duckdb", port=18888, folder=tmp_path / "none")
