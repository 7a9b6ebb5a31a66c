"""The load benchmark's wire user: what it saves over the websocket is in the database."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.wire_user import WireError, WireUser, run_apart
from tests import factories
from tests.deploy.servers import thera_serve
from thera_analytics.practice import Practice

pytestmark = pytest.mark.ui


@pytest.fixture
def served(engine: str, tmp_path: Path, request: pytest.FixtureRequest
           ) -> tuple[factories.TestPractice, str]:
    target = str(tmp_path / "practice.duckdb") if engine == "duckdb" \
        else request.getfixturevalue("pg_url")
    tp = factories.make_practice(target)
    tp.extra["event"] = tp.create()  # Ann's session with Cara Cole
    tp.db.close()
    return tp, target


def test_a_wire_user_saves_a_plan_that_the_database_keeps(
        served: tuple[factories.TestPractice, str]) -> None:
    tp, target = served
    event_id = tp.extra["event"]

    async def work(base: str) -> None:
        user = WireUser(base, "ann")
        await user.sign_in()
        editor = await user.open_session(event_id)
        await user.type_plan(editor, "Saved over the wire")
        await user.save(editor, "Saved over the wire")
        # Reopened, the session shows its Outcome step (the plan is done): the user clicks
        # "2 · Plan", as a clinician would, and amends the plan.
        again = await user.open_session(event_id)
        await user.type_plan(again, "Amended over the wire")
        await user.save(again, "Amended over the wire")
        await user.close()

    with thera_serve(target) as (instance, *_):
        run_apart(work(instance.base))
    with Practice.open(target).db as db:
        assert Practice(db).event(tp.manager, event_id).plan_text == "Amended over the wire"


def test_a_wire_user_with_a_wrong_password_is_refused(
        served: tuple[factories.TestPractice, str]) -> None:
    _tp, target = served

    async def work(base: str) -> None:
        await WireUser(base, "ann", password="wrong").sign_in()

    with thera_serve(target) as (instance, *_), pytest.raises(WireError, match="HTTP 401"):
        run_apart(work(instance.base))
