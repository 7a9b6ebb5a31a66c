"""The history cost benchmark's realistic versions: each event's steps as versions of a tiny
generated practice, read back by the as-of reports and continued by a save on both engines."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest

from benchmarks import history_cost, history_versions
from thera_analytics import reports
from thera_analytics.clock import FixedClock
from thera_analytics.domain.actor import Actor, Role
from thera_analytics.practice import Practice
from thera_analytics.sample import generate_practice
from thera_analytics.store import Database, copying

NOW = history_cost.NOW


@pytest.fixture(scope="module")
def practice_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 2 clinicians x 6 weeks practice whose history holds a version per step."""
    path = tmp_path_factory.mktemp("versions") / "practice.duckdb"
    with Database(path) as db:
        generate_practice(db, clinicians=2, weeks=6, seed=1, now=NOW, progress=False)
        history_versions.replace(db, NOW)
    return path


@pytest.fixture
def db(practice_file: Path) -> Iterator[Database]:
    with Database(practice_file) as opened:
        yield opened


def test_each_event_has_a_version_per_step_ending_in_its_rows(db: Database) -> None:
    counts = history_versions.counts(db, NOW)
    # A past session was created, planned, marked and signed, most of them by now.
    assert counts["versions_per_past_session"] > 3, counts
    assert counts["events_by_versions"].get("4", 0) > 0, counts
    # Versions are numbered 1..n, each beginning no earlier than the one before (it holds
    # until the next begins), the last at the event's own version.
    bad = db.df(
        "SELECT h.event_id FROM event_history h JOIN events e ON e.id = h.event_id"
        " LEFT JOIN event_history n ON n.event_id = h.event_id AND n.version = h.version + 1"
        " WHERE (h.version > 1 AND NOT EXISTS (SELECT 1 FROM event_history p"
        "        WHERE p.event_id = h.event_id AND p.version = h.version - 1))"
        "    OR (n.event_id IS NOT NULL AND n.valid_from < h.valid_from)"
        "    OR (n.event_id IS NULL AND h.version <> e.version)")
    assert bad.empty, bad
    assert history_cost.check_as_of_now(db) == list(history_cost.report_calls(db))


def test_as_of_before_the_plan_was_saved_the_session_is_unplanned(db: Database) -> None:
    planned = db.df(
        "SELECT e.id, e.local_date, p.saved_at FROM events e JOIN plans p ON p.event_id = e.id"
        " JOIN event_clients ec ON ec.event_id = e.id"
        " WHERE e.cancelled_at IS NULL AND p.saved_at > e.created_at + INTERVAL 1 HOUR"
        " ORDER BY e.id LIMIT 1")
    assert len(planned) == 1
    event_id, day, saved_at = planned.iloc[0]
    saved_at = saved_at.to_pydatetime()

    def facts(at: datetime) -> pd.Series:
        rows = reports.session_facts(db, day, day, as_of=at)
        return rows[rows["event_id"] == event_id].iloc[0]

    before = facts(saved_at - timedelta(seconds=1))
    assert pd.isna(before["plan_saved_at"]), before
    assert not before["dot_plan"]
    after = facts(saved_at)
    assert after["plan_saved_at"] == saved_at and after["dot_plan"]


@pytest.mark.parametrize("engine", ["duckdb", "postgresql"])
def test_a_save_continues_the_versions(practice_file: Path, engine: str,
                                       request: pytest.FixtureRequest,
                                       tmp_path: Path) -> None:
    if engine == "postgresql":
        target = request.getfixturevalue("pg_url")
        with Database(practice_file) as source:
            copying.copy_practice(source, target)
    else:
        target = tmp_path / "copy.duckdb"
        target.write_bytes(practice_file.read_bytes())
    with Database(target) as db:
        row = db.df(
            "SELECT e.id, e.version, u.id AS user_id, u.display_name, e.clinician_id"
            " FROM events e JOIN users u ON u.clinician_id = e.clinician_id"
            "  AND u.role = 'clinician' AND u.active"
            " LEFT JOIN outcomes o ON o.event_id = e.id"
            " WHERE e.kind = 'client_session' AND e.version > 1 AND e.cancelled_at IS NULL"
            "   AND e.ends_at < ? AND o.signed_at IS NULL ORDER BY e.id LIMIT 1",
            [NOW]).iloc[0]
        actor = Actor(int(row.user_id), Role.CLINICIAN, str(row.display_name),
                      int(row.clinician_id))
        Practice(db, FixedClock(NOW)).save_plan(
            actor, int(row.id), int(row.version), "A plan", previous_homework="",
            previous_note="")
        versions = db.df("SELECT version, valid_to FROM event_history_spans WHERE event_id = ?"
                         " ORDER BY version", [int(row.id)])
    assert list(versions["version"]) == list(range(1, int(row.version) + 2))
    assert versions["valid_to"].isna().tolist() == [False] * int(row.version) + [True]
