"""The search-quality evaluation (docs/search-quality.md): its measures, its labelled
set, and the command that runs the set against the real search."""

import io
import json
from collections import Counter

import pytest
from django.core.management import CommandError, call_command

from ideas import evaluation, semantic
from ideas.evaluation.metrics import mean, mrr, precision_at_k, recall_at_k, reciprocal_rank
from ideas.management.commands.search_quality import (
    END,
    SEMANTIC_END,
    SEMANTIC_START,
    START,
    write_report,
)
from ideas.models import Idea, IdeaEmbedding
from tests.ideas.factories import IdeaFactory

LANGUAGES = {"en", "th", "fa", "km", "lo"}


# --- The measures, on hand-computed examples ------------------------------------------

def test_reciprocal_rank_is_one_over_the_first_relevant_rank():
    assert reciprocal_rank(["a", "b", "c"], {"a"}) == 1.0
    assert reciprocal_rank(["a", "b", "c"], {"c", "b"}) == 0.5
    assert reciprocal_rank(["a", "b", "c", "d"], ["d"]) == 0.25
    assert reciprocal_rank(["a", "b"], {"z"}) == 0.0
    assert reciprocal_rank([], {"z"}) == 0.0


def test_mrr_averages_over_queries():
    # 1/2, 0 and 1: (0.5 + 0 + 1) / 3
    runs = [(["a", "b", "c"], {"b"}), (["x"], {"y"}), (["a"], {"a"})]
    assert mrr(runs) == pytest.approx(0.5)
    assert mrr([]) == 0.0


def test_recall_at_k_counts_relevant_items_in_the_first_k():
    ranked = ["a", "b", "c", "d", "e", "f"]
    assert recall_at_k(ranked, {"a", "f", "z"}, 5) == pytest.approx(1 / 3)  # f is 6th
    assert recall_at_k(ranked, {"a", "f", "z"}, 6) == pytest.approx(2 / 3)
    assert recall_at_k(ranked, {"b", "e"}, 5) == 1.0
    assert recall_at_k([], {"a"}, 5) == 0.0
    with pytest.raises(ValueError):
        recall_at_k(ranked, set(), 5)


def test_precision_at_k_is_over_what_is_shown():
    assert precision_at_k(["a", "b", "c"], {"a", "c"}, 5) == pytest.approx(2 / 3)
    assert precision_at_k(["a"], {"a", "b", "c"}, 5) == 1.0
    assert precision_at_k(["a", "b", "c", "d", "e", "f"], {"f"}, 5) == 0.0
    assert precision_at_k(["a", "b", "c", "d", "e"], {"b", "d"}, 5) == pytest.approx(0.4)
    assert precision_at_k([], {"a"}, 5) is None  # nothing shown: undefined


def test_mean_leaves_undefined_values_out():
    assert mean([1.0, None, 0.0]) == 0.5
    assert mean([None]) is None
    assert mean([]) is None


# --- The labelled set ---------------------------------------------------------------

def test_the_corpus_is_well_formed():
    corpus = evaluation.corpus()
    keys = [idea["key"] for idea in corpus]
    assert 80 <= len(corpus) <= 150
    assert len(set(keys)) == len(keys)
    assert {idea["lang"] for idea in corpus} == LANGUAGES
    for idea in corpus:
        assert idea["title"].strip() and len(idea["title"]) <= 200, idea["key"]
        assert idea["problem"].strip() and idea["delight"].strip(), idea["key"]
        assert idea["metric"] in {"nps", "csat", "ces", "churn", "fcr", "other"}
    # Near-duplicates: paraphrases in one language and the same idea in another.
    by_topic = Counter((idea["topic"], idea["lang"]) for idea in corpus)
    assert sum(1 for n in by_topic.values() if n > 1) >= 10
    assert sum(1 for n in Counter(idea["topic"] for idea in corpus).values() if n > 1) >= 20


def test_the_search_judgements_are_well_formed():
    langs = {idea["key"]: idea["lang"] for idea in evaluation.corpus()}
    queries = evaluation.queries()
    assert len(queries) >= 150
    assert len({(q["query"], q["lang"]) for q in queries}) == len(queries)
    assert {q["lang"] for q in queries} == LANGUAGES
    assert {"words", "word_form", "typo", "unspaced", "variant"} <= {q["kind"] for q in queries}
    for q in queries:
        assert q["query"].strip() and q["relevant"], q
        assert len(set(q["relevant"])) == len(q["relevant"]), q
        for key in q["relevant"]:
            assert key in langs, (q["query"], key)
            assert langs[key] == q["lang"], (q["query"], key)  # judged within a language


def test_the_duplicate_pairs_are_well_formed():
    corpus = evaluation.corpus()
    langs = {idea["key"]: idea["lang"] for idea in corpus}
    pairs = evaluation.duplicates()
    assert len(pairs) >= 100
    assert {p["lang"] for p in pairs} == LANGUAGES
    for p in pairs:
        assert p["text"].strip() and p["duplicate_of"], p
        assert all(key in langs for key in p["duplicate_of"]), p
        # cross_language: none of its duplicates is written in the text's language.
        assert p["cross_language"] == all(langs[k] != p["lang"] for k in p["duplicate_of"]), p
    cross = Counter(p["cross_language"] for p in pairs)
    assert cross[True] >= 30 and cross[False] >= 60
    assert {p["lang"] for p in pairs if p["cross_language"]} == LANGUAGES


# --- The command --------------------------------------------------------------------

def _figure(value):
    return value is None or 0.0 <= value <= 1.0


@pytest.mark.django_db
def test_the_command_reports_the_figures_and_leaves_nothing_behind(tmp_path):
    out, path = io.StringIO(), tmp_path / "quality.md"
    call_command("search_quality", "--json", "--write", str(path), stdout=out)
    report = json.loads(out.getvalue())

    assert report["set"] == {"ideas": len(evaluation.corpus()),
                             "ideas_by_language": report["set"]["ideas_by_language"],
                             "queries": len(evaluation.queries()),
                             "duplicate_texts": len(evaluation.duplicates())}
    search = report["search"]
    assert set(search["by_language"]) == LANGUAGES
    for figures in [search, *search["by_language"].values(), *search["by_kind"].values()]:
        assert _figure(figures["mrr"]) and _figure(figures["recall_at_5"])
    # Plain words that occur in the relevant ideas are found by any search: a harness that
    # lost track of which idea is which would say otherwise.
    assert search["by_kind"]["words"]["mrr"] > 0.5
    for name in ("same_language", "cross_language"):
        group = report["duplicates"][name]
        assert group["texts"] > 0 and set(group["by_language"]) <= LANGUAGES
        for figures in [group, *group["by_language"].values()]:
            assert _figure(figures["recall_at_5"]) and _figure(figures["precision_at_5"])
    assert len(report["details"]["search"]) == len(evaluation.queries())

    assert Idea.objects.count() == 0  # rolled back
    text = path.read_text(encoding="utf-8")
    assert START in text and END in text and "MRR" in text and "precision@5" in text


@pytest.mark.django_db
def test_the_command_refuses_a_database_with_ideas():
    IdeaFactory()
    with pytest.raises(CommandError, match="already has ideas"):
        call_command("search_quality", stdout=io.StringIO())
    assert Idea.objects.count() == 1


def test_the_report_replaces_only_its_own_section(tmp_path):
    path = tmp_path / "doc.md"
    path.write_text(f"# Title\n\nBefore.\n\n{START}\nold figures\n{END}\n\nAfter.\n",
                    encoding="utf-8")
    write_report(path, "new figures\n")
    assert path.read_text(encoding="utf-8") == (
        f"# Title\n\nBefore.\n\n{START}\nnew figures\n{END}\n\nAfter.\n")


# --- The command with the semantic backend (--semantic) ------------------------------

# What the fake model "understands", in English and Thai: a text's vector counts them.
# The claim form is a topic with a Thai text whose duplicates are in other languages only.
CONCEPTS = [("claim form", "แบบฟอร์มเคลม"), ("parking", "ที่จอดรถ")]


class FakeBackend:
    name = "fake"

    def __init__(self):
        self.texts = []

    def encode(self, texts):
        import numpy as np

        self.texts += texts
        rows = [[sum(text.lower().count(w) for w in words) for words in CONCEPTS]
                for text in texts]
        return semantic.normalise(np.array(rows, dtype=np.float32))


@pytest.mark.django_db
def test_semantic_refuses_when_the_backend_is_off(settings):
    settings.SEARCH_EMBEDDINGS = "off"
    with pytest.raises(CommandError, match="SEARCH_EMBEDDINGS"):
        call_command("search_quality", "--semantic", stdout=io.StringIO())


@pytest.mark.django_db
def test_semantic_compares_lexical_semantic_and_combined(settings, monkeypatch, tmp_path):
    pytest.importorskip("numpy")  # the dev and semantic extras
    fake = FakeBackend()
    settings.SEARCH_EMBEDDINGS = "local"
    monkeypatch.setattr(semantic, "load_local", lambda model: fake)
    path = tmp_path / "quality.md"
    path.write_text(f"{START}\nlexical figures\n{END}\n\n{SEMANTIC_START}\nold semantic figures\n"
                    f"{SEMANTIC_END}\n", encoding="utf-8")
    out = io.StringIO()
    call_command("search_quality", "--semantic", "--json", "--write", str(path), stdout=out)
    report = json.loads(out.getvalue())

    # Every idea of the set went through the service's encode, each text once.
    corpus = evaluation.corpus()
    embedded = {semantic.idea_text(i["title"], i["problem"]) for i in corpus}
    assert embedded <= set(fake.texts)
    sem = report["semantic"]
    assert sem["model"] == "fake"
    # The fake reads only texts with a concept: the claim-form and parking ideas.
    readable = sum(1 for text in embedded
                   if any(w in text.lower() for words in CONCEPTS for w in words))
    assert sum(sem["ideas_with_a_vector"].values()) == readable > 0

    # The Thai claim-form text has no same-language twin and nothing lexical in common
    # with its duplicates; the fake links it to them across languages.
    thai = next(d for d in report["details"]["duplicates"]
                if d["cross_language"] and d["lang"] == "th" and "แบบฟอร์มเคลม" in d["text"])
    assert not set(thai["by_method"]["lexical"]["shown"]) & set(thai["duplicate_of"])
    assert thai["by_method"]["combined"]["recall"] > 0
    assert thai["by_method"]["semantic"]["shown"][0].startswith("claim-form-")
    cross_th = sem["cross_language"]
    assert cross_th["combined"]["by_language"]["th"]["recall_at_5"] > \
        cross_th["lexical"]["by_language"]["th"]["recall_at_5"]
    # Lexical alone is the plain command's duplicate figure, measured the same way.
    assert sem["same_language"]["lexical"]["recall_at_5"] == \
        report["duplicates"]["same_language"]["recall_at_5"]

    assert Idea.objects.count() == 0 and IdeaEmbedding.objects.count() == 0  # rolled back
    text = path.read_text(encoding="utf-8")
    assert f"{START}\nlexical figures\n{END}" in text  # the lexical section untouched
    section = text.split(SEMANTIC_START, 1)[1].split(SEMANTIC_END, 1)[0]
    assert "old semantic figures" not in section and "combined" in section and "`fake`" in section
