"""Packaged SQL files: schema migrations and named queries, loaded once."""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

_MIGRATION = re.compile(r"^(\d{3})_([a-z0-9_]+)\.sql$")
_ENGINE_MIGRATION = re.compile(r"^(\d{3})_([a-z0-9_]+)\.([a-z]+)\.sql$")


@cache
def query(name: str, package: str = "thera_analytics.store", engine: str | None = None) -> str:
    """The text of ``queries/<name>.sql`` in ``package``.

    Where an engine's SQL must differ, ``queries/<name>.<engine>.sql`` stands beside it and is
    used for that engine (``duckdb`` or ``postgresql``).
    """
    folder = resources.files(package) / "queries"
    if engine is not None:
        special = folder / f"{name}.{engine}.sql"
        if special.is_file():
            return inline_fragments(special.read_text(encoding="utf-8"))
    return inline_fragments((folder / f"{name}.sql").read_text(encoding="utf-8"))


# Packaged queries that other statements (queries and migrations) inline as ``{name}``, so a
# rule stated in SQL is written once: the completion rule (event_dots), the session facts
# that the analysts' view and the report share (session_facts_rows), the event history's
# columns (history_columns), the first-visit rule (first_visit_ranking: each client's first
# live client event), the clients whose first visit a change may move and their first visits
# now (first_visit_affected, first_visits_of_event). A fragment may name another.
FRAGMENTS = ("event_dots", "session_facts_rows", "history_columns", "first_visit_affected",
             "first_visits_of_event", "first_visit_ranking")


def inline_fragments(text: str) -> str:
    """``text`` with each ``{fragment}`` it names replaced by that packaged query's text."""
    for name in FRAGMENTS:
        placeholder = "{" + name + "}"
        if placeholder in text:
            text = text.replace(placeholder, query(name).rstrip().rstrip(";"))
    return text


@cache
def migrations(engine: str | None = None) -> tuple[tuple[int, str, str], ...]:
    """Every numbered migration as ``(version, name, sql)``, in order.

    Where an engine's schema must differ (PostgreSQL's lookup indexes, migration 012),
    ``<NNN>_<name>.<engine>.sql`` stands beside ``<NNN>_<name>.sql`` and replaces it for that
    engine, as ``query`` does for statements; both record the same version and name.
    """
    found = []
    special: dict[tuple[int, str], str] = {}
    for entry in (resources.files("thera_analytics.store") / "migrations").iterdir():
        m = _MIGRATION.match(entry.name)
        if m:
            text = inline_fragments(entry.read_text(encoding="utf-8"))
            found.append((int(m.group(1)), m.group(2), text))
        m = _ENGINE_MIGRATION.match(entry.name)
        if m and m.group(3) == engine:
            special[(int(m.group(1)), m.group(2))] = inline_fragments(
                entry.read_text(encoding="utf-8"))
    missing = set(special) - {(v, n) for v, n, _ in found}
    if missing:
        raise RuntimeError(f"an engine's migration has no common file beside it: {missing}")
    found = [(v, n, special.get((v, n), text)) for v, n, text in found]
    found.sort()
    versions = [v for v, _, _ in found]
    # Numbers are unique; a gap is allowed so that branches can reserve numbers (009 may be
    # merged before 008). The runner applies every number not yet recorded, in order.
    if len(set(versions)) != len(versions):
        raise RuntimeError(f"two migrations share a number: {versions}")
    return tuple(found)
