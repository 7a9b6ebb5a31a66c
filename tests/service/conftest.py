import pytest

from tests.factories import make_practice


@pytest.fixture
def tp():
    practice = make_practice()
    yield practice
    practice.db.close()
