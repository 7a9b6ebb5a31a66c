"""Fixtures the reliability tests share."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.factories import TestPractice, make_practice


@pytest.fixture
def tp(db_target: str) -> Iterator[TestPractice]:
    """A fresh small practice (ann, ben, manager, client cara) on each engine."""
    practice = make_practice(db_target)
    yield practice
    practice.db.close()
