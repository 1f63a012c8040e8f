"""The labelled set that measures search and duplicate detection (docs/search-quality.md).

corpus.json      ideas: {key, lang, topic, metric, title, problem, delight}; ideas of one
                 topic are duplicates of each other, across languages too
queries.json     search judgements: {query, lang, kind, relevant: [keys]}
duplicates.json  new ideas as typed (title + problem): {text, lang, topic, duplicate_of:
                 [keys], cross_language: true when none of them is in the text's language}

Read by `manage.py search_quality`; the measures are in metrics.py."""

import json
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent
LANGUAGES = ("en", "th", "fa", "km", "lo")


@cache
def _load(name: str) -> tuple[dict, ...]:
    with open(DATA_DIR / name, encoding="utf-8") as f:
        return tuple(json.load(f))


def corpus() -> tuple[dict, ...]:
    return _load("corpus.json")


def queries() -> tuple[dict, ...]:
    return _load("queries.json")


def duplicates() -> tuple[dict, ...]:
    return _load("duplicates.json")
