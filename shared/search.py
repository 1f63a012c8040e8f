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
from functools import lru_cache

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

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
# Persian function words (and, in, to, from, that, this, is, with, for, ...): as common in
# Persian text as "the" in English, so they say nothing about similarity either.
PERSIAN_STOPWORDS = frozenset((
    "و در به از که این آن را با است برای تا یا هم نیز اما اگر هر همه چه چون پس بر "
    "یک می نمی ها های ای ما من او شما آنها ایشان خود شود شوند شده شد کند کنند کرد کرده "
    "کنیم دارد دارند داریم بود بودن باشد باید هست نیست بین روی زیر پیش بعد وقتی حتی "
    "فقط خیلی بسیار دیگر چند هیچ کسی چیزی").replace("\u064a", "\u06cc").split())


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
                and run not in STOPWORDS and run not in PERSIAN_STOPWORDS:
            pieces.append(run)
    pieces = list(dict.fromkeys(pieces))
    if len(pieces) > limit:
        step = len(pieces) / limit
        pieces = [pieces[int(i * step)] for i in range(limit)]
    return pieces


# --- Words, stems and the word index -------------------------------------------------------
#
# Besides search_text (substring matching, every script), a record keeps word indexes:
# " word word stem ... " with a space on each side of every entry, so that a database
# LIKE can tell a whole word (" claim "), a word's start (" claim") and an inner
# substring ("claim") apart on SQLite and PostgreSQL alike. Each word is followed by its
# Snowball stem where that differs (English: "development" -> "develop"), and each pair
# of adjacent Arabic-script words by the two joined (Persian "بیمه نامه" typed with a
# space is also "بیمهنامه", as a half-space folds to nothing).

MIN_STEM_LENGTH = 4


@lru_cache(maxsize=1)
def _english():
    import snowballstemmer

    return snowballstemmer.stemmer("english")


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    """The Snowball stem of a normalised word in a language that has a stemmer here
    (English, Latin letters), else the word."""
    if len(word) >= MIN_STEM_LENGTH and word.isascii() and word.isalpha():
        return _english().stemWord(word)
    return word


def is_arabic_script(word: str) -> bool:
    return bool(word) and all(0x0600 <= ord(c) <= 0x06FF or 0xFB50 <= ord(c) <= 0xFEFF
                              for c in word)


def words(text: str) -> list[tuple[bool, str]]:
    """(unspaced, run) for every word of the normalised `text`: a word where the script
    separates words with spaces, a whole run of letters in Thai, Lao, Khmer..."""
    return list(_runs(normalise(text)))


def word_index(*parts) -> str:
    entries = []
    for part in parts:
        if not part:
            continue
        previous = None
        for unspaced, word in words(str(part)):
            entries.append(word)
            if not unspaced:
                if (root := stem(word)) != word:
                    entries.append(root)
                if previous and is_arabic_script(word) and is_arabic_script(previous):
                    entries.append(previous + word)
            previous = None if unspaced else word
    entries = list(dict.fromkeys(entries))
    return f" {' '.join(entries)} " if entries else ""


# --- Ranked search ---------------------------------------------------------------------------

# How much a term's best match is worth, by where and how it matches. A whole word in
# the title beats a word's start in the title, which beats a whole word in the problem
# and customer text... ; the scores of the terms are added up.
TITLE, BODY, ALL = "title", "body", "all"
WHOLE, START, INNER = "whole", "start", "inner"
SCORES = {
    (TITLE, WHOLE): 40, (TITLE, START): 32, (BODY, WHOLE): 24, (BODY, START): 18,
    (ALL, WHOLE): 12, (TITLE, INNER): 10, (ALL, START): 8, (BODY, INNER): 6, (ALL, INNER): 2,
}
# Scripts without spaces: a "word" is a whole run, so a term is nearly always inside
# one; only where it is found counts.
UNSPACED_SCORES = {TITLE: 32, BODY: 18, ALL: 8}
# A term found only through its typo correction counts less than as typed.
CORRECTED = 0.6


def term_is_unspaced(term: str) -> bool:
    return any(map(is_unspaced, term))


def is_word(term: str) -> bool:
    """A query term that is one word (no punctuation inside), written with spaces."""
    runs = words(term)
    return len(runs) == 1 and runs[0][1] == term and not runs[0][0]


def term_match(term: str, columns: dict, alternatives=()) -> Q:
    """Records where the normalised `term` occurs: as a substring of the full text, or
    its stem at the start of a word (another form of the word; Persian words typed
    apart), or one of its typo corrections as a whole word."""
    match = Q(**{f"{columns[ALL]}__contains": term})
    if is_word(term):
        match |= Q(**{f"{columns['words']}__contains": f" {stem(term)}"})
    for alternative in alternatives:
        match |= Q(**{f"{columns['words']}__contains": f" {alternative} "})
    return match


def _conditions(term: str, columns: dict, weight: float = 1.0):
    """(score, condition) for each way `term` can match, best first."""
    found = []
    if term_is_unspaced(term) or not is_word(term):
        for field in (TITLE, BODY):
            found.append((UNSPACED_SCORES[field], Q(**{f"{columns[field]}__contains": term})))
        found.append((UNSPACED_SCORES[ALL], Q(**{f"{columns[ALL]}__contains": term})))
    else:
        forms = list(dict.fromkeys([term, stem(term)]))
        for field in (TITLE, BODY, ALL):
            column = columns["words"] if field == ALL else columns[field]
            whole = Q()
            for form in forms:
                whole |= Q(**{f"{column}__contains": f" {form} "})
            found.append((SCORES[field, WHOLE], whole))
            found.append((SCORES[field, START], Q(**{f"{column}__contains": f" {forms[-1]}"})))
            inner_column = columns[ALL] if field == ALL else columns[field]
            found.append((SCORES[field, INNER], Q(**{f"{inner_column}__contains": term})))
    return [(round(score * weight), condition) for score, condition in found]


def rank_expression(terms: list[str], columns: dict, corrections: dict | None = None):
    """An integer relevance score: for each term, the score of its best match
    (SCORES), added up over the terms. `columns`: {"title", "body": word index columns,
    "words": the word index of everything, "all": the normalised full text}."""
    corrections = corrections or {}
    total = None
    for term in terms:
        found = _conditions(term, columns)
        for alternative in corrections.get(term, ()):
            found += _conditions(alternative, columns, CORRECTED)
        found.sort(key=lambda item: -item[0])
        case = Case(*(When(condition, then=Value(score)) for score, condition in found),
                    default=Value(0), output_field=IntegerField())
        total = case if total is None else total + case
    return total


def filter_and_rank(queryset: QuerySet, terms: list[str], columns: dict,
                    corrections: dict | None = None, name: str = "search_rank") -> QuerySet:
    """Records that match every term (each as typed, in another form, or as one of its
    corrections), annotated with `name`: their relevance (rank_expression)."""
    corrections = corrections or {}
    for term in terms:
        queryset = queryset.filter(term_match(term, columns, corrections.get(term, ())))
    if terms:
        queryset = queryset.annotate(**{name: rank_expression(terms, columns, corrections)})
    return queryset


# --- Typo tolerance ------------------------------------------------------------------------
#
# A vocabulary of the indexed words keeps, for each word, the word and every string one
# letter shorter ("symmetric delete" keys): two words within one edit (a letter wrong,
# missing, extra, or two letters swapped) share a key. Looking a query term's keys up is
# a handful of indexed equality lookups, whatever the size of the archive.

MIN_CORRECTABLE = 4
MAX_CORRECTABLE = 30


def correctable(word: str) -> bool:
    return (MIN_CORRECTABLE <= len(word) <= MAX_CORRECTABLE and word.isalpha()
            and not term_is_unspaced(word))


def deletes(word: str) -> list[str]:
    return list(dict.fromkeys([word] + [word[:i] + word[i + 1:] for i in range(len(word))]))


def within_one_edit(a: str, b: str) -> bool:
    """Damerau-Levenshtein distance of at most one."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        return a[i + 1:] == b[i + 1:] or (
            i + 1 < len(a) and a[i] == b[i + 1] and a[i + 1] == b[i] and a[i + 2:] == b[i + 2:])
    return a[i:] == b[i + 1:]


def vocabulary_words(text: str) -> set[str]:
    """The words of `text` a typo can be corrected to."""
    return {word for unspaced, word in words(text) if not unspaced and correctable(word)}


# --- Highlighting --------------------------------------------------------------------------

def _marks(run: str, terms: list[str]) -> list[tuple[int, int]] | None:
    folded = normalise(run)
    if len(folded) != len(run):  # folding changed its length: mark the whole word
        return [(0, len(run))] if any(t in folded for t in terms) else []
    spans = []
    if not term_is_unspaced(run):
        root = stem(folded)
        if any(t in folded or stem(t) == root for t in terms):
            return [(0, len(run))]
        return []
    for term in terms:
        start = folded.find(term)
        while start >= 0:
            spans.append((start, start + len(term)))
            start = folded.find(term, start + len(term))
    return spans


def highlight(text: str, terms: list[str]) -> SafeString:
    """`text`, escaped, with the words the search terms matched in <mark>: a whole word
    in scripts with spaces, the matched letters in Thai, Lao, Khmer..."""
    text = str(text or "")
    terms = [t for t in terms if t]
    if not terms:
        return escape(text)
    out, run, kind = [], [], None

    def flush():
        if not run:
            return
        word = "".join(run)
        spans = sorted(_marks(word, terms) or [])
        position = 0
        for start, end in spans:
            if start < position:
                start = position
            if start >= end:
                continue
            out.append(escape(word[position:start]))
            out.append(f"<mark>{escape(word[start:end])}</mark>")
            position = end
        out.append(escape(word[position:]))
        run.clear()

    for char in text:
        if unicodedata.category(char)[0] in "LMN":
            this = is_unspaced(char)
            if run and this != kind:
                flush()
            run.append(char)
            kind = this
        else:
            flush()
            out.append(escape(char))
    flush()
    return mark_safe("".join(out))  # noqa: S308 - every piece above is escaped


EXCERPT_LENGTH = 180


def excerpt(text: str, terms: list[str], length: int = EXCERPT_LENGTH) -> str:
    """About `length` characters of `text` around the first place a search term occurs
    (cut at spaces where there are any, "…" where text was left out), or "" when no
    term occurs in it. For a result's snippet: pass it through highlight()."""
    text = " ".join(str(text or "").split())
    folded = normalise(text)
    if len(folded) != len(text):  # folding changed positions: search the text itself
        folded = text.casefold()
    found = [i for term in terms if term and (i := folded.find(term)) >= 0]
    if not found:
        return ""
    first = min(found)
    if len(text) <= length:
        return text
    start = max(0, first - length // 3)
    end = min(len(text), start + length)
    start = max(0, end - length)
    if start and (space := text.rfind(" ", 0, start + 1)) >= 0 and start - space < 20:
        start = space + 1
    if end < len(text) and (space := text.find(" ", end)) >= 0 and space - end < 20:
        end = space
    return f"{'…' if start else ''}{text[start:end].strip()}{'…' if end < len(text) else ''}"
