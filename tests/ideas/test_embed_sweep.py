"""The periodic embedding sweep (ideas.tasks.embed_sweep, semantic.idea_embed_sweep):
ideas left without a vector, with a stale one or one of another model get one, newest
first and a bounded number per run; with the backend off it does nothing."""

import io
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from ideas import semantic, services, tasks
from ideas.models import Idea, IdeaEmbedding
from tests.ideas.factories import IdeaFactory

np = pytest.importorskip("numpy")  # in the dev and semantic extras

pytestmark = pytest.mark.django_db

WORDS = ["claim", "parking", "refund"]


class FakeBackend:
    """A vector that counts three words; records every text it encodes."""

    name = "fake"

    def __init__(self):
        self.texts = []

    def encode(self, texts):
        self.texts += texts
        rows = [[text.lower().count(w) for w in WORDS] for text in texts]
        return semantic.normalise(np.array(rows, dtype=np.float32))


@pytest.fixture
def fake(settings, monkeypatch):
    backend = FakeBackend()
    settings.SEARCH_EMBEDDINGS = "local"
    monkeypatch.setattr(semantic, "load_local", lambda model: backend)
    return backend


def _idea(title, days_ago):
    when = timezone.now() - timedelta(days=days_ago)
    return IdeaFactory(title=title, submitted_at=when)


def _vector(idea):
    return np.frombuffer(bytes(IdeaEmbedding.objects.get(idea=idea).vector), dtype="<f4")


def test_off_does_nothing(settings):
    assert settings.SEARCH_EMBEDDINGS == "off"
    IdeaFactory()
    assert tasks.embed_sweep() == 0
    assert not IdeaEmbedding.objects.exists()


def test_missing_vectors_newest_first_and_bounded(fake):
    old, middle, new = _idea("Old claim", 30), _idea("Middle parking", 20), _idea("New", 1)
    IdeaFactory(title="A draft claim", status=Idea.Status.DRAFT)
    assert semantic.idea_embed_sweep(limit=2) == 2
    assert set(IdeaEmbedding.objects.values_list("idea_id", flat=True)) == {new.pk, middle.pk}
    assert semantic.idea_embed_sweep(limit=2) == 1
    assert IdeaEmbedding.objects.filter(idea=old).exists()
    fake.texts.clear()
    assert semantic.idea_embed_sweep(limit=2) == 0  # nothing left, drafts never
    assert fake.texts == []


def test_a_submit_whose_task_never_ran_is_caught_by_the_sweep(fake, employee,
                                                             django_capture_on_commit_callbacks):
    draft = IdeaFactory(status=Idea.Status.DRAFT, submitter=employee, title="Claim tracker")
    # The broker was down: the task queued on commit never ran.
    with django_capture_on_commit_callbacks(execute=False):
        services.idea_submit(idea=Idea.objects.get(pk=draft.pk), actor=employee)
    assert not IdeaEmbedding.objects.exists()
    assert tasks.embed_sweep() == 1
    assert _vector(draft).tolist() == pytest.approx([1.0, 0.0, 0.0])


def test_vectors_of_another_model_are_replaced(fake):
    idea = _idea("Refund faster", 3)
    semantic.idea_embed_sweep(limit=10)
    IdeaEmbedding.objects.update(model_name="the-old-model")
    assert semantic.idea_embed_sweep(limit=10) == 1
    assert IdeaEmbedding.objects.get(idea=idea).model_name == "fake"


def test_an_edited_idea_is_embedded_again_and_an_unchanged_one_checked_once(fake, monkeypatch):
    edited, saved = _idea("Claim photos", 2), _idea("Parking", 1)
    semantic.idea_embed_sweep(limit=10)
    edited.title = "Refund photos"
    edited.save()  # through the model (as the admin saves it): its updated_at moves
    saved.save()  # saved for another reason, the same text
    fake.texts.clear()
    assert semantic.idea_embed_sweep(limit=10) == 1
    assert _vector(edited).tolist() == pytest.approx([0.0, 0.0, 1.0])
    assert fake.texts == ["Refund photos\n" + edited.problem]
    # The unchanged one is not a candidate any more: the next run reads nothing.
    calls = []
    monkeypatch.setattr(semantic, "idea_embed", lambda **kw: calls.append(kw) or 0)
    assert semantic.idea_embed_sweep(limit=10) == 0
    assert calls == []


def test_the_beat_job_runs_the_sweep_with_its_limit(fake, settings):
    from portal.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["ideas-embed-sweep"]
    assert entry["task"] == tasks.embed_sweep.name in app.tasks
    assert entry["schedule"] == 600.0
    _idea("Claim", 2), _idea("Parking", 1)
    settings.EMBEDDING_SWEEP_LIMIT = 1
    assert tasks.embed_sweep.delay().get() == 1
    assert tasks.embed_sweep() == 1
    assert tasks.embed_sweep() == 0


def test_embed_ideas_limit_is_the_sweep(fake):
    _idea("Claim", 2), _idea("Parking", 1)
    out = io.StringIO()
    call_command("embed_ideas", "--limit", "1", stdout=out)
    assert out.getvalue().startswith("1 ideas embedded")
    with pytest.raises(CommandError, match="--limit"):
        call_command("embed_ideas", "--limit", "1", "--all", stdout=io.StringIO())
