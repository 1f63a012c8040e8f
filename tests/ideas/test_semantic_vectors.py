"""The neighbour look-up's per-process copy of the vectors (semantic._KeptVectors): a
second look-up reads the candidates' ids and times only, and a vector written since is
read again, never compared stale."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ideas import selectors, semantic
from ideas.models import Idea
from tests.ideas.factories import IdeaFactory

np = pytest.importorskip("numpy")  # in the dev and semantic extras

pytestmark = pytest.mark.django_db

WORDS = ["claim", "parking", "refund"]


class FakeBackend:
    name = "fake"

    def encode(self, texts):
        rows = [[text.lower().count(w) for w in WORDS] for text in texts]
        return semantic.normalise(np.array(rows, dtype=np.float32))


@pytest.fixture
def fake(settings, monkeypatch):
    backend = FakeBackend()
    settings.SEARCH_EMBEDDINGS = "local"
    monkeypatch.setattr(semantic, "load_local", lambda model: backend)
    # A fresh copy for this test: ids are reused across rolled-back tests on SQLite.
    monkeypatch.setattr(semantic, "_kept", semantic._KeptVectors())
    return backend


def _look_up(user, text):
    return semantic.semantic_neighbours(text=text, candidates_qs=selectors.visible_ideas(user))


def test_vectors_are_read_once_and_again_after_a_write(fake, employee):
    claim, parking = IdeaFactory(title="Claim photos"), IdeaFactory(title="More parking")
    semantic.idea_embed()
    first = _look_up(employee, "claim")
    assert first[0] == (claim.pk, pytest.approx(1.0))
    with CaptureQueriesContext(connection) as queries:
        assert _look_up(employee, "claim") == first
    assert len(queries) == 1 and '"vector"' not in queries[0]["sql"]  # ids and times only

    Idea.objects.filter(pk=claim.pk).update(title="Refund photos")
    semantic.idea_embed()  # its vector is written again: read again, once
    with CaptureQueriesContext(connection) as queries:
        found = dict(_look_up(employee, "refund"))
    assert len(queries) == 2
    assert found[claim.pk] == pytest.approx(1.0) and found[parking.pk] == pytest.approx(0.0)


def test_the_copy_stays_bounded(fake, employee):
    ideas = IdeaFactory.create_batch(4, title="Claim")
    semantic.idea_embed()
    for idea in ideas:  # each look-up sees one other candidate (cap 1)
        candidates = selectors.visible_ideas(employee).filter(pk=idea.pk)
        semantic.semantic_neighbours(text="claim", candidates_qs=candidates, cap=1)
    assert len(semantic._kept.rows) <= semantic._KeptVectors.KEEP_FACTOR * 1 + 1
