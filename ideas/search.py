"""The idea search's vocabulary: typo corrections of query terms, and how rare a word is.

Words enter the vocabulary when an idea is submitted (submitted ideas are not edited):
index_words(). Each word is stored with its "symmetric delete" keys (shared.search), so
correcting a term is one indexed lookup of its own keys, whatever the archive's size."""

import math
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import F

from shared.search import (
    correctable,
    correction_units,
    deletes,
    is_word,
    stem,
    term_words,
    vocabulary_words,
    within_one_edit,
)

from .models import Idea, SearchWord, SearchWordKey

CHUNK = 500


def _chunks(items, size=CHUNK):
    items = list(items)
    for i in range(0, len(items), size):
        yield items[i:i + size]


def word_keys(word: str) -> list[str]:
    """A word's keys: its deletes when a typo can be corrected to it, else itself (a
    short Thai, Lao or Khmer word is only looked up to know that it is a word)."""
    return deletes(word) if correctable(word) else [word]


def index_words(ideas) -> None:
    """Add the words of these (just submitted) ideas to the vocabulary, counting each
    idea once per word. A few queries per 500 words. Confidential ideas are left out: a
    correction shown to everyone must not reveal a word only some may read."""
    ideas = list(ideas)
    counts = Counter()
    for idea in ideas:
        if not idea.confidential:
            counts.update(vocabulary_words(idea.search_text))
    if not counts:
        return
    known = set()
    for chunk in _chunks(counts):
        known.update(SearchWord.objects.filter(word__in=chunk).values_list("word", flat=True))
    new = [w for w in counts if w not in known]
    for chunk in _chunks(new):
        SearchWord.objects.bulk_create([SearchWord(word=w, ideas=0) for w in chunk],
                                       ignore_conflicts=True)
        SearchWordKey.objects.bulk_create(
            [SearchWordKey(key=key, word_id=w) for w in chunk for key in word_keys(w)],
            ignore_conflicts=True)
    # The row "" counts the ideas indexed: how rare a word is needs the total.
    counts[""] = sum(1 for idea in ideas if not idea.confidential)
    SearchWord.objects.bulk_create([SearchWord(word="", ideas=0)], ignore_conflicts=True)
    by_count = {}
    for word, n in counts.items():
        by_count.setdefault(n, []).append(word)
    for n, group in by_count.items():
        for chunk in _chunks(group):
            SearchWord.objects.filter(word__in=chunk).update(ideas=F("ideas") + n)


def rebuild_index(batch: int = 1000) -> int:
    """Recompute every idea's search columns and the vocabulary (after a change to how
    text is indexed). Returns the number of ideas."""
    SearchWord.objects.all().delete()
    n = 0
    last = 0
    while True:
        ideas = list(Idea.objects.filter(pk__gt=last).order_by("pk")[:batch])
        if not ideas:
            return n
        for idea in ideas:
            idea.refresh_search_text()
        Idea.objects.bulk_update(ideas, ["search_text", "search_title", "search_body",
                                         "search_words"])
        index_words([i for i in ideas if i.status == Idea.Status.SUBMITTED])
        n += len(ideas)
        last = ideas[-1].pk


@dataclass
class Corrections:
    """{term: [corrections]} for the terms of a query that are no word of the
    vocabulary but within one edit of one; `query`: the query as corrected."""

    by_term: dict = field(default_factory=dict)
    query: str = ""


def corrections(terms: list[str]) -> Corrections:
    """Typo corrections for the query terms that are not known words: the most common
    vocabulary words within one edit. One query (none when no term can be corrected).
    A term that begins a known word is left alone (it finds that word as typed). In Thai,
    Lao and Khmer a part of the term (shared.search.correction_units: two adjacent ICU
    words, or one) may be corrected, the first part, longest first, that is no known
    word but one edit from one."""
    words_of = {t: term_words(t) or () for t in terms}
    # Every Thai, Lao or Khmer word is its own key: the rows found for them say which
    # words are known.
    parts = {part for found in words_of.values() for part in found}
    wanted = {t: correction_units(t) for t in terms if words_of[t] or is_word(t)}
    if not any(wanted.values()):
        return Corrections()
    keys = parts | {key for units in wanted.values() for unit in units for key in deletes(unit)}
    rows = list(SearchWordKey.objects.filter(key__in=keys)
                .values_list("key", "word_id", "word__ideas")[:1000])
    known = {word for key, word, _ in rows if key == word}
    wanted = {t: correction_units(t, known) if words_of[t] else units
              for t, units in wanted.items()}
    found = {}
    for term, units in wanted.items():
        for unit in units:
            fixed = _correction(unit, rows)
            if fixed is None:  # a known word (or the start of one)
                if unit == term:
                    break
                continue
            if fixed:
                found[term] = [term.replace(unit, fixed, 1)]
                break
    if not found:
        return Corrections()
    return Corrections(found, " ".join(found.get(t, [t])[0] for t in terms))


def _correction(unit: str, rows) -> str | None:
    """The most common word within one edit of `unit`, "" when there is none, None when
    `unit` is a known word, the start of one or another form of one."""
    variants = set(deletes(unit))
    near = {(word, n) for key, word, n in rows if key in variants}
    if any(word == unit or word.startswith(unit) or stem(word) == stem(unit)
           for word, _ in near):
        return None
    near = sorted(((n, word) for word, n in near
                   if correctable(word) and within_one_edit(unit, word)),
                  reverse=True)
    return near[0][1] if near else ""


def word_weights(pieces: list[str]) -> dict[str, float]:
    """{piece: weight}: how rare each word is among the submitted ideas (inverse document
    frequency, log(N / ideas with it)), so "claim" or "customer" in every other idea
    counts for less than "fingerprint". One query; every weight is 1 while the
    vocabulary is empty."""
    found = dict(SearchWord.objects.filter(word__in=["", *pieces])
                 .values_list("word", "ideas"))
    total = found.pop("", 0)
    if not total:
        return dict.fromkeys(pieces, 1.0)
    return {p: max(0.1, math.log((total + 1) / (found.get(p, 0) + 0.5))) for p in pieces}
