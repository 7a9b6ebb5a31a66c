"""`thera report NAME --as-of INSTANT` gives what the report said at that instant, for every
report, after the practice has changed since."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest

from tests.factories import make_practice
from thera_analytics.domain.kinds import EventKind
from thera_app.cli import main

THEN = datetime(2026, 6, 2, 12, 0, tzinfo=UTC)


@pytest.fixture
def practice_file(tmp_path: Path) -> Path:
    """Two sessions on 1 June: one marked, planned and signed by the 2nd at noon, one indirect
    left open; on the 3rd the first's attendance is amended and the second completed."""
    path = tmp_path / "practice.duckdb"
    tp = make_practice(str(path))
    p = tp.practice
    direct = tp.create()
    indirect = tp.create(kind=EventKind.CLIENT_TEAM_MEETING, direct=False,
                         start=datetime(2026, 6, 1, 14, 0), end=datetime(2026, 6, 1, 15, 0))
    tp.clock.set(datetime(2026, 6, 1, 18, 0, tzinfo=UTC))
    v = p.save_plan(tp.ann, direct, tp.version(direct), "Plan")
    v = p.record_attendance(tp.ann, direct, v, {tp.clients[0]: "attended"})
    tp.clock.set(THEN - timedelta(hours=1))
    v = p.sign(tp.ann, direct, v)
    tp.clock.set(THEN + timedelta(hours=1))
    p.record_attendance(tp.ann, direct, v, {tp.clients[0]: "no_show"})  # amended in the window
    w = p.save_plan(tp.ann, indirect, tp.version(indirect), "Review")
    w = p.record_status(tp.ann, indirect, w, "on_hold")
    p.sign(tp.ann, indirect, w)
    tp.db.close()
    return path


def report(capsys, path: Path, name: str, *extra: str) -> str:
    assert main(["report", name, "--db", str(path), "--from", "2026-06-01",
                 "--to", "2026-06-07", *extra]) == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("name", ["attendance", "backlog", "completion"])
def test_every_report_as_of_a_past_instant_is_what_it_said_then(practice_file, capsys, name):
    then = report(capsys, practice_file, name, "--as-of", THEN.isoformat())
    now = report(capsys, practice_file, name, "--as-of", "2026-06-10T00:00:00+00:00")
    assert then != now  # the practice changed since
    if name == "attendance":  # attended then, a no show since the amendment
        totals = [pd.read_csv(io.StringIO(text)).query("dimension == 'total'")
                  for text in (then, now)]
        assert [(int(t["attended"].iloc[0]), int(t["no_show"].iloc[0])) for t in totals] == [
            (1, 0), (0, 1)]
    if name == "backlog":  # the open indirect session then, nothing open now
        assert len(then.strip().splitlines()) == 2 and len(now.strip().splitlines()) == 1
    markdown_then = report(capsys, practice_file, name, "--format", "markdown",
                           "--as-of", THEN.isoformat())
    assert markdown_then != report(capsys, practice_file, name, "--format", "markdown",
                                   "--as-of", "2026-06-10T00:00:00+00:00")
