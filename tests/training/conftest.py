import pytest
from django.test import Client

from .factories import module_page, training_index


@pytest.fixture
def index(db):
    return training_index()


@pytest.fixture
def basics(index):
    """'Who our customers are': two lessons and a quiz, no prerequisites."""
    return module_page("who", title="Who our customers are")


@pytest.fixture
def moves(basics):
    """'Military families on the move': needs 'Who our customers are' first."""
    return module_page("moves", title="Military families on the move",
                       prerequisites=[basics])


@pytest.fixture
def as_user():
    """A separate signed-in client per person (the `client` fixture is shared)."""

    def make(user) -> Client:
        c = Client()
        c.force_login(user)
        return c

    return make
