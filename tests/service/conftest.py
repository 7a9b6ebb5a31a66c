import pytest

from tests.factories import make_practice


@pytest.fixture
def tp(db_target):
    """A small practice (two clinicians, three clients) on each engine."""
    practice = make_practice(db_target)
    yield practice
    practice.db.close()
