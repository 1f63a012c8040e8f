"""Text search that works in every script, on SQLite and PostgreSQL.

Thai, Lao and Khmer are written without spaces between words, so word-based
full-text search (tsvector, FTS tokenisers) cannot find a word inside a sentence.
Instead each searchable record keeps one normalised `search_text` column and a
query matches by substring: every whitespace-separated term must occur. On
PostgreSQL a pg_trgm GIN index on that column serves these LIKE '%term%' lookups."""

import unicodedata

from django.db.models import QuerySet

MAX_QUERY_LENGTH = 200
MAX_TERMS = 8


def normalise(text: str) -> str:
    # NFKC folds presentation forms (Persian/Arabic letters, full-width Latin);
    # casefold handles case in every script that has it.
    return unicodedata.normalize("NFKC", text or "").casefold()


def build_search_text(*parts) -> str:
    return normalise("\n".join(str(p) for p in parts if p))


def query_terms(query: str) -> list[str]:
    terms = normalise(query[:MAX_QUERY_LENGTH]).split()
    return list(dict.fromkeys(terms))[:MAX_TERMS]


def filter_by_text(queryset: QuerySet, query: str, field: str = "search_text") -> QuerySet:
    for term in query_terms(query):
        queryset = queryset.filter(**{f"{field}__contains": term})
    return queryset
