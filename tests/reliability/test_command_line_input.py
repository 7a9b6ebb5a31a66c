"""The ``thera`` command line with malformed arguments and missing, empty and garbage files:
each refused clearly, by name, and the practice unchanged."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.factories import make_practice, table_contents
from tests.helpers.commands import run_thera
from thera_analytics.store.database import Database


def _run_thera(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return run_thera(args, cwd, timeout=60, env={"THERA_COOKIE_SECRET": "bad-input-tests-only"})


@pytest.fixture(scope="module")
def cli_files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with a practice (``ok.duckdb``, events in it), a garbage and an empty file."""
    folder = tmp_path_factory.mktemp("cli")
    tp = make_practice(str(folder / "ok.duckdb"))
    tp.create()
    tp.db.close()
    (folder / "garbage.duckdb").write_bytes(bytes(range(256)) * 64)
    (folder / "empty.duckdb").write_bytes(b"")
    (folder / "notes.txt").write_text("not a database\n")
    with Database(folder / "ok.duckdb") as db:
        CLI_PRACTICE_BEFORE.update(table_contents(db))
    return folder


CLI_PRACTICE_BEFORE: dict[str, Any] = {}


# args, what stderr must say. Every case: exit status 2, no traceback, the files unchanged.
CLI_CASES: list[tuple[str, list[str], str]] = [
    ("no command", [], "required: COMMAND"),
    ("unknown command", ["frobnicate"], "invalid choice: 'frobnicate'"),
    ("unknown report", ["report", "nonsense", "--db", "ok.duckdb"], "invalid choice: 'nonsense'"),
    ("unknown format", ["report", "attendance", "--db", "ok.duckdb", "--format", "xml"],
     "invalid choice: 'xml'"),
    ("bad month", ["report", "attendance", "--db", "ok.duckdb", "--from", "2026-13-01"],
     "'2026-13-01' is not a date"),
    ("bad day", ["report", "attendance", "--db", "ok.duckdb", "--to", "2026-02-30"],
     "'2026-02-30' is not a date"),
    ("words for a date", ["report", "attendance", "--db", "ok.duckdb", "--from", "yesterday"],
     "'yesterday' is not a date"),
    ("period backwards", ["report", "attendance", "--db", "ok.duckdb", "--from", "2026-06-10",
                          "--to", "2026-06-01"], "end: the period ends"),
    ("bad instant", ["report", "backlog", "--db", "ok.duckdb", "--as-of", "noon"],
     "'noon' is not a date-time"),
    ("clinician not a number", ["report", "attendance", "--db", "ok.duckdb", "--clinician",
                                "ann"], "invalid int value: 'ann'"),
    ("parquet to the terminal", ["report", "attendance", "--db", "ok.duckdb", "--format",
                                 "parquet"], "out: a parquet report needs --out FILE"),
    ("report: missing database", ["report", "attendance", "--db", "missing.duckdb"],
     "/missing.duckdb does not exist"),  # named by its absolute path
    ("report: garbage database", ["report", "attendance", "--db", "garbage.duckdb"],
     "not a valid DuckDB database file"),
    ("report: empty database file", ["report", "attendance", "--db", "empty.duckdb"],
     "not a valid DuckDB database file"),
    ("report: a text file", ["report", "attendance", "--db", "notes.txt"],
     "not a valid DuckDB database file"),
    ("negative clinicians", ["sample", "--db", "new.duckdb", "--clinicians", "-3"],
     "-3 is not between 1 and 1000"),
    ("zero weeks", ["sample", "--db", "new.duckdb", "--weeks", "0"],
     "0 is not between 1 and 520"),
    ("too many weeks", ["sample", "--db", "new.duckdb", "--weeks", "100000"],
     "100000 is not between 1 and 520"),
    ("clinicians not a number", ["sample", "--db", "new.duckdb", "--clinicians", "lots"],
     "'lots' is not a whole number"),
    ("seed not a number", ["sample", "--db", "new.duckdb", "--seed", "1.5"],
     "invalid int value: '1.5'"),
    ("sample: bad end", ["sample", "--db", "new.duckdb", "--end", "2026-02-30"],
     "'2026-02-30' is not a date"),
    ("sample: database with events", ["sample", "--db", "ok.duckdb", "--quiet"],
     "already has 1 events"),
    ("sample: garbage database", ["sample", "--db", "garbage.duckdb", "--quiet"],
     "not a valid DuckDB database file"),
    ("init: existing file", ["init", "--db", "ok.duckdb", "--name", "X", "--time-zone", "UTC",
                             "--manager-password", "secret"], "ok.duckdb already exists"),
    ("init: garbage file", ["init", "--db", "garbage.duckdb", "--name", "X", "--time-zone",
                            "UTC", "--manager-password", "secret"], "already exists"),
    ("init: no password", ["init", "--db", "new.duckdb", "--name", "X", "--time-zone", "UTC"],
     "required: --manager-password"),
    ("serve: missing database", ["serve", "--db", "missing.duckdb"],
     "db: missing.duckdb does not exist"),
    ("serve: garbage database", ["serve", "--db", "garbage.duckdb"],
     "not a valid DuckDB database file"),
    ("serve: port not a number", ["serve", "--db", "ok.duckdb", "--port", "http"],
     "argument --port: "),
    ("calendar: unknown client", ["calendar", "export", "--db", "ok.duckdb", "--client", "999",
                                  "--out", "x.ics"], "client: no client 999"),
    ("calendar: unknown clinician", ["calendar", "export", "--db", "ok.duckdb", "--clinician",
                                     "99999999999999999999", "--out", "x.ics"],
     "clinician: no clinician"),
    ("calendar: clinician and client", ["calendar", "export", "--db", "ok.duckdb",
                                        "--clinician", "1", "--client", "1", "--out", "x.ics"],
     "not allowed with argument"),
    ("calendar: bad day", ["calendar", "export", "--db", "ok.duckdb", "--clinician", "1",
                           "--out", "x.ics", "--from", "2026-02-30"], "is not a date"),
    ("calendar: missing database", ["calendar", "export", "--db", "missing.duckdb",
                                    "--clinician", "1", "--out", "x.ics"], "does not exist"),
    ("calendar: garbage database", ["calendar", "export", "--db", "garbage.duckdb",
                                    "--clinician", "1", "--out", "x.ics"],
     "not a valid DuckDB database file"),
    ("reminders: interval of 0", ["reminders", "run", "--db", "ok.duckdb", "--loop",
                                  "--interval", "0"], "the interval is 1 to 86400 seconds"),
    ("reminders: interval without loop", ["reminders", "run", "--db", "ok.duckdb",
                                          "--interval", "5"], "--interval goes with --loop"),
    ("reminders: now with loop", ["reminders", "run", "--db", "ok.duckdb", "--loop", "--now",
                                  "2026-06-01T10:00"], "--now is for a single pass"),
    ("reminders: bad now", ["reminders", "run", "--db", "ok.duckdb", "--now", "soon"],
     "'soon' is not a date-time"),
    ("reminders: empty database file", ["reminders", "run", "--db", "empty.duckdb"],
     "not a valid DuckDB database file"),
    ("reminders: no action", ["reminders"], "required: ACTION"),
]


@pytest.mark.parametrize(("args", "says"), [c[1:] for c in CLI_CASES],
                         ids=[c[0] for c in CLI_CASES])
def test_the_command_line_refuses_bad_arguments_clearly(
        cli_files: Path, args: list[str], says: str) -> None:
    files = {p.name: p.read_bytes() for p in cli_files.iterdir() if p.name != "ok.duckdb"}
    result = _run_thera(args, cli_files)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert says in result.stderr, result.stderr
    assert "error" in result.stderr
    assert {p.name: p.read_bytes() for p in cli_files.iterdir() if p.name != "ok.duckdb"} \
        == files, "a refused command left a file behind or changed one"


def test_the_command_line_says_when_the_server_holds_the_database(cli_files: Path) -> None:
    with Database(cli_files / "ok.duckdb"):  # this process holds the file, as a server would
        for args in (["report", "attendance", "--db", "ok.duckdb"],
                     ["calendar", "export", "--db", "ok.duckdb", "--clinician", "1", "--out",
                      "x.ics"],
                     ["sample", "--db", "ok.duckdb", "--quiet"]):
            result = _run_thera(args, cli_files)
            assert result.returncode == 2, result.stderr
            assert "Traceback" not in result.stderr
            assert "another process" in result.stderr, result.stderr
    assert not (cli_files / "x.ics").exists()


def test_the_practice_is_unchanged_after_every_refused_command(cli_files: Path) -> None:
    with Database(cli_files / "ok.duckdb") as db:
        assert table_contents(db) == CLI_PRACTICE_BEFORE
