"""The store is the one place SQL is written: no service module runs a literal SQL string or
opens a database driver itself (issue 14, item 2)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SERVICE = Path(__file__).resolve().parents[1] / "thera_analytics" / "service"
RUNS_SQL = {"execute", "executemany", "df", "sql"}
DRIVERS = {"duckdb", "psycopg", "psycopg_pool", "adbc_driver_postgresql"}

# Service modules whose statements have not moved into the store yet. Each entry must still
# hold SQL (the test below fails when one is cleaned and left listed), so the list only shrinks.
NOT_YET_MOVED: set[str] = set()


def _literal_sql(tree: ast.AST) -> list[int]:
    """Lines where a SQL-running call is given a string written in the module."""
    found = []
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr in RUNS_SQL and node.args
                and isinstance(node.args[0], ast.Constant | ast.JoinedStr | ast.BinOp)
                and not (isinstance(node.args[0], ast.Constant)
                         and not isinstance(node.args[0].value, str))):
            found.append(node.lineno)
    return found


def _drivers(tree: ast.AST) -> list[str]:
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
    return [n for n in names if n.split(".")[0] in DRIVERS]


MODULES = sorted(p for p in SERVICE.glob("*.py") if p.stem != "__init__")


@pytest.mark.parametrize("path", MODULES, ids=[p.stem for p in MODULES])
def test_a_service_module_holds_no_sql_and_no_driver(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    assert _drivers(tree) == [], f"{path.name} imports a database driver"
    lines = _literal_sql(tree)
    if path.stem in NOT_YET_MOVED:
        assert lines, f"{path.name} holds no SQL now: take it off NOT_YET_MOVED"
    else:
        assert lines == [], f"{path.name} runs SQL written in the module at lines {lines}"


def test_the_check_finds_sql_written_in_a_module() -> None:
    found = _literal_sql(ast.parse(
        'cur.execute("SELECT 1")\ncur.execute(f"SELECT {x}")\ndb.df("SELECT" " 2")\n'
        'cur.execute(query("named"))\ncur.execute(\n    "UPDATE t SET a = 1"\n)\n'))
    assert found == [1, 2, 3, 5]
    assert _drivers(ast.parse("import duckdb\nfrom psycopg import sql\n")) == [
        "duckdb", "psycopg"]


# Every way a module reaches the database: running a statement, a packaged query by name, or
# the packaged SQL itself.
REACHES_DATABASE = RUNS_SQL | {"named", "query", "cursor", "transaction_cursor"}


def _database_calls(tree: ast.AST) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute | ast.Name)
                and (node.func.attr if isinstance(node.func, ast.Attribute)
                     else node.func.id) in REACHES_DATABASE - {"cursor"}):
            found.append(f"{node.lineno}: {ast.unparse(node.func)}")
        elif isinstance(node, ast.ImportFrom) and node.module == "thera_analytics.store.sql":
            found.append(f"{node.lineno}: imports store.sql")
    return found


@pytest.mark.parametrize("path", MODULES, ids=[p.stem for p in MODULES])
def test_a_service_module_runs_no_query_even_a_packaged_one(path: Path) -> None:
    """Packaged queries are run by store functions too, so a second engine implements the
    store and nothing in the service."""
    assert _database_calls(ast.parse(path.read_text(encoding="utf-8"))) == []


def test_the_check_finds_packaged_queries_run_by_name() -> None:
    found = _database_calls(ast.parse(
        'from thera_analytics.store.sql import query\ncur.execute(query("x"))\n'
        'db.named("y", [])\nstored.week_rows(db, d, None)\n'))
    assert sorted(f.split(":")[0] for f in found) == ["1", "2", "2", "3"]
