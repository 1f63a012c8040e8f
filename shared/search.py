"""Text search that works in every script, on SQLite and PostgreSQL.

Thai, Lao and Khmer are written without spaces between words, so word-based
full-text search (tsvector, FTS tokenisers) cannot find a word inside a sentence.
Instead each searchable record keeps one normalised `search_text` column and a
query matches by substring: every whitespace-separated term must occur. On
PostgreSQL a pg_trgm GIN index on that column serves these LIKE '%term%' lookups.

For "similar" rankings, text_pieces() cuts text into comparable pieces: words where
the script separates words with spaces, and overlapping character trigrams inside runs
of scripts that do not (Thai, Lao, Khmer, Myanmar, Chinese, Japanese)."""

import unicodedata

from django.db.models import QuerySet

MAX_QUERY_LENGTH = 200
MAX_TERMS = 8
MAX_PIECES = 24

# Persian keyboards and older Arabic-script systems type different code points for
# the same letter: Arabic yeh/alef maksura and kaf versus Persian yeh and keheh. The
# zero-width non-joiner (half-space) and tatweel (kashida) only change the letter shapes.
FOLD = str.maketrans({"\u064a": "\u06cc", "\u0649": "\u06cc", "\u0643": "\u06a9",
                      "\u200c": None, "\u0640": None})

# Scripts written without spaces between words (code point ranges).
UNSPACED_RANGES = (
    (0x0E00, 0x0EFF),    # Thai, Lao
    (0x1000, 0x109F),    # Myanmar
    (0x1780, 0x17FF),    # Khmer
    (0x19E0, 0x19FF),    # Khmer symbols
    (0x3040, 0x30FF),    # Hiragana, Katakana
    (0x3400, 0x4DBF),    # CJK extension A
    (0x4E00, 0x9FFF),    # CJK unified ideographs
)
# Too common in English to say anything about similarity.
STOPWORDS = frozenset(
    "the and for are but not you all any can had her was one our out has his how its may "
    "new now own too use who why with this that from have they them then than when what "
    "very into also been more some such only were will your".split())


def normalise(text: str) -> str:
    # NFKC folds presentation forms (Persian/Arabic letters, full-width Latin);
    # casefold handles case in every script that has it; FOLD the Persian variants.
    return unicodedata.normalize("NFKC", text or "").casefold().translate(FOLD)


def build_search_text(*parts) -> str:
    return normalise("\n".join(str(p) for p in parts if p))


def query_terms(query: str) -> list[str]:
    terms = normalise(query[:MAX_QUERY_LENGTH]).split()
    return list(dict.fromkeys(terms))[:MAX_TERMS]


def filter_by_text(queryset: QuerySet, query: str, field: str = "search_text") -> QuerySet:
    for term in query_terms(query):
        queryset = queryset.filter(**{f"{field}__contains": term})
    return queryset


def is_unspaced(char: str) -> bool:
    code = ord(char)
    return any(low <= code <= high for low, high in UNSPACED_RANGES)


def _runs(text: str):
    """(is_unspaced, run) for each run of letters, marks and digits."""
    run, kind = [], None
    for char in text:
        if unicodedata.category(char)[0] in "LMN":
            this = is_unspaced(char)
            if run and this != kind:
                yield kind, "".join(run)
                run = []
            run.append(char)
            kind = this
        elif run:
            yield kind, "".join(run)
            run = []
    if run:
        yield kind, "".join(run)


def text_pieces(text: str, limit: int = MAX_PIECES) -> list[str]:
    """Normalised pieces of `text` to compare texts by: words (at least three letters,
    or two outside ASCII; common English words left out) and, inside runs of scripts
    without spaces, overlapping character trigrams. At most `limit` pieces, sampled
    evenly over the text so its end counts as much as its start."""
    pieces = []
    for unspaced, run in _runs(normalise(text[:MAX_QUERY_LENGTH * 2])):
        if unspaced:
            if len(run) <= 3:
                pieces.append(run)
            else:
                pieces.extend(run[i:i + 3] for i in range(len(run) - 2))
        elif (len(run) >= 3 or not run.isascii()) and len(run) >= 2 \
                and run not in STOPWORDS:
            pieces.append(run)
    pieces = list(dict.fromkeys(pieces))
    if len(pieces) > limit:
        step = len(pieces) / limit
        pieces = [pieces[int(i * step)] for i in range(limit)]
    return pieces
