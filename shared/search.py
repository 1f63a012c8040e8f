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
from os.path import commonprefix

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Greatest
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


# --- Word segmentation (ICU) -----------------------------------------------------------------
#
# Thai, Lao and Khmer put no spaces between words; ICU's dictionary-based word breaker
# (icu4py, its own ICU data, no system library) finds them. A run of those scripts is
# indexed whole (inner substrings still match) and also word by word, so a search can
# tell a whole word from part of one, match words that are not next to each other, and
# correct typos word by word.
SEGMENTED_RANGES = (
    (0x0E00, 0x0EFF),    # Thai, Lao
    (0x1780, 0x17FF),    # Khmer
    (0x19E0, 0x19FF),    # Khmer symbols
)
# normalise() (NFKC) splits Thai and Lao sara am and Lao ໜ/ໝ into two characters, which
# ICU's dictionaries do not know: "ชำระ" breaks into words, "ชํา"+"ระ" does not.
_COMPOSE = (("\u0e4d\u0e32", "\u0e33"), ("\u0ecd\u0eb2", "\u0eb3"),
            ("\u0eab\u0e99", "\u0edc"), ("\u0eab\u0ea1", "\u0edd"))


def is_segmented(run: str) -> bool:
    return bool(run) and all(any(low <= ord(c) <= high for low, high in SEGMENTED_RANGES)
                             for c in run)


@lru_cache(maxsize=50_000)
def segment(run: str) -> tuple[str, ...]:
    """The words of a normalised run of Thai, Lao or Khmer letters (ICU), normalised;
    any other run is one word."""
    if not is_segmented(run):
        return (run,)
    from icu4py.breakers import WordBreaker

    composed = run
    for split, joined in _COMPOSE:
        composed = composed.replace(split, joined)
    found = tuple(normalise(w) for w in WordBreaker(composed, "th") if w.strip())
    return found if "".join(found) == run else (run,)


@lru_cache(maxsize=50_000)
def graphemes(word: str) -> tuple[str, ...]:
    """The user-perceived letters of `word` (ICU): a Thai consonant with its vowel and
    tone marks, a Khmer consonant with its subscript, is one."""
    if not term_is_unspaced(word):
        return tuple(word)
    from icu4py.breakers import CharacterBreaker

    return tuple(CharacterBreaker(word, "th"))


def term_words(term: str) -> tuple[str, ...] | None:
    """The ICU words of a query term that is one run of Thai, Lao or Khmer; else None."""
    runs = words(term)
    if len(runs) == 1 and runs[0][1] == term and is_segmented(term):
        return segment(term)
    return None


def word_index(*parts) -> str:
    entries = []
    for part in parts:
        if not part:
            continue
        previous = None
        for unspaced, word in words(str(part)):
            entries.append(word)
            if unspaced:
                entries.extend(segment(word))
            else:
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
# Scripts without spaces that ICU does not segment here (Myanmar, Chinese, Japanese):
# a "word" is a whole run, so a term is nearly always inside one; only where it is
# found counts.
UNSPACED_SCORES = {TITLE: 32, BODY: 18, ALL: 8}
# Thai, Lao or Khmer words found next to each other as typed, on top of the words' own
# scores (term_rank).
PHRASE = {TITLE: 16, BODY: 10, ALL: 4}
# A term found only through its typo correction counts less than as typed.
CORRECTED = 0.6


def term_is_unspaced(term: str) -> bool:
    return any(map(is_unspaced, term))


def is_word(term: str) -> bool:
    """A query term that is one word (no punctuation inside), written with spaces."""
    runs = words(term)
    return len(runs) == 1 and runs[0][1] == term and not runs[0][0]


def _contains_words(term: str, column: str) -> Q:
    """`term` in the text `column`: as a substring or, for Thai, Lao or Khmer, each of
    its words somewhere (ติดตามเคลม: ติดตาม ... เคลม), which includes the former."""
    parts = term_words(term) or (term,)
    match = Q()
    for part in dict.fromkeys(parts):
        match &= Q(**{f"{column}__contains": part})
    return match


def term_match(term: str, columns: dict, alternatives=()) -> Q:
    """Records where the normalised `term` occurs: as a substring of the full text (in
    Thai, Lao or Khmer, each of its words), or its stem at the start of a word (another
    form of the word; Persian words typed apart), or one of its typo corrections as a
    whole word (in Thai, Lao or Khmer, as the term)."""
    match = _contains_words(term, columns[ALL])
    if is_word(term):
        match |= Q(**{f"{columns['words']}__contains": f" {stem(term)}"})
        if not alternatives and len(common := implied_piece(term)) >= MIN_IMPLIED:
            # Implied by the condition above, so the same records match; but it is one
            # LIKE on one column, which PostgreSQL's planner estimates well enough to
            # read the trigram index, where for the OR it scans every idea (~190 ms
            # instead of ~25 at 100,000 ideas: docs/benchmarks.md, "Ranked search").
            match &= Q(**{f"{columns['words']}__contains": common})
    for alternative in alternatives:
        if term_words(alternative):
            match |= _contains_words(alternative, columns[ALL])
        else:
            match |= Q(**{f"{columns['words']}__contains": f" {alternative} "})
    return match


# A trigram index can serve a LIKE '%piece%' of three letters or more.
MIN_IMPLIED = 3


def implied_piece(term: str) -> str:
    """What the word index holds wherever a word `term` matches (term_match): the start
    shared by the term and its stem. The full text holding the term means one of its
    words holds it, and every word is in the word index; a word starting with the stem
    holds the stem."""
    return commonprefix([term, stem(term)])


def _word_conditions(forms: list[str], term: str, columns: dict):
    """(score, condition) for a word written with spaces, or one ICU word of Thai, Lao
    or Khmer: whole, its start, inside, in the title, body or anywhere."""
    found = []
    for field in (TITLE, BODY, ALL):
        column = columns["words"] if field == ALL else columns[field]
        whole = Q()
        for form in forms:
            whole |= Q(**{f"{column}__contains": f" {form} "})
        found.append((SCORES[field, WHOLE], whole))
        found.append((SCORES[field, START], Q(**{f"{column}__contains": f" {forms[-1]}"})))
        inner_column = columns[ALL] if field == ALL else columns[field]
        found.append((SCORES[field, INNER], Q(**{f"{inner_column}__contains": term})))
    return found


def _best(found, weight: float = 1.0):
    found = sorted(((round(score * weight), condition) for score, condition in found),
                   key=lambda item: -item[0])
    return Case(*(When(condition, then=Value(score)) for score, condition in found),
                default=Value(0), output_field=IntegerField())


def _word_rank(forms: list[str], term: str, columns: dict, weight: float = 1.0):
    """_best(_word_conditions(...)), the same score, but cheaper to compute: each of the
    title's and the body's conditions holds the start the forms share, so where that
    column does not hold it (most records), none of its conditions is tried. At 100,000
    ideas a search computes this for every match (docs/benchmarks.md, "Ranked search")."""
    found = _word_conditions(forms, term, columns)
    piece = commonprefix([term, *forms])
    if not piece:
        return _best(found, weight)
    body, rest = found[3:6], found[6:]  # found[:3]: the title's
    return Case(
        When(Q(**{f"{columns[TITLE]}__contains": piece}), then=_best(found, weight)),
        When(Q(**{f"{columns[BODY]}__contains": piece}), then=_best(body + rest, weight)),
        default=_best(rest, weight), output_field=IntegerField())


def _where_found(term: str, columns: dict):
    """(score, condition) for a term that is no word to rank as one (Myanmar, Chinese,
    Japanese; punctuation inside): only where it is found counts."""
    return [(UNSPACED_SCORES[field], Q(**{f"{columns[field]}__contains": term}))
            for field in (TITLE, BODY, ALL)]


def term_rank(term: str, columns: dict, weight: float = 1.0):
    """The score of a term's best match. A Thai, Lao or Khmer term scores as the mean of
    its ICU words (each like a word with spaces: a whole word above part of one), plus
    PHRASE where the term occurs as typed, its words next to each other."""
    parts = term_words(term)
    if not parts:
        if term_is_unspaced(term) or not is_word(term):
            return _best(_where_found(term, columns), weight)
        return _word_rank(list(dict.fromkeys([term, stem(term)])), term, columns, weight)
    parts = list(dict.fromkeys(parts))
    share = weight / len(parts)
    total = None
    for part in parts:
        case = _word_rank([part], part, columns, share)
        total = case if total is None else total + case
    if len(parts) > 1:
        total += _best([(PHRASE[field], Q(**{f"{columns[field]}__contains": term}))
                        for field in (TITLE, BODY, ALL)], weight)
    return total


def rank_expression(terms: list[str], columns: dict, corrections: dict | None = None):
    """An integer relevance score: for each term, the score of its best match
    (SCORES), added up over the terms; a correction counts CORRECTED as much, when it
    beats the term as typed. `columns`: {"title", "body": word index columns, "words":
    the word index of everything, "all": the normalised full text}."""
    corrections = corrections or {}
    total = None
    for term in terms:
        ranks = [term_rank(term, columns)]
        ranks += [term_rank(alternative, columns, CORRECTED)
                  for alternative in corrections.get(term, ())]
        case = ranks[0] if len(ranks) == 1 else Greatest(*ranks, output_field=IntegerField())
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
    """A word a typo can be corrected in or to: four to thirty letters (in Thai, Lao or
    Khmer, four user-perceived letters at least: a consonant with its marks is one)."""
    if not (MIN_CORRECTABLE <= len(word) <= MAX_CORRECTABLE):
        return False
    if not term_is_unspaced(word):
        return word.isalpha()
    return (is_segmented(word) and len(graphemes(word)) >= MIN_CORRECTABLE
            and all(unicodedata.category(c)[0] in "LM" for c in word))


def deletes(word: str) -> list[str]:
    """`word` and every string one letter shorter; in Thai, Lao and Khmer one
    user-perceived letter (graphemes), so a wrong vowel or tone mark, or a subscript
    consonant, is one edit."""
    letters = graphemes(word)
    return list(dict.fromkeys(
        [word] + ["".join(letters[:i] + letters[i + 1:]) for i in range(len(letters))]))


def within_one_edit(a: str, b: str) -> bool:
    """Damerau-Levenshtein distance of at most one (in graphemes, see deletes)."""
    if a == b:
        return True
    a, b = graphemes(a), graphemes(b)
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
    """The words of `text` a typo can be corrected to. In Thai, Lao and Khmer also every
    ICU word (however short: a term whose words are all known is no typo) and each two
    adjacent ones joined, as ICU cuts a word into short pieces (ลาย นิ้ว มือ) that a
    typo is seldom one letter from."""
    found = set()
    for unspaced, run in words(text):
        if not unspaced:
            if correctable(run):
                found.add(run)
            continue
        parts = segment(run)
        if len(parts) == 1 and not is_segmented(run):
            continue
        found.update(p for p in parts if len(p) <= MAX_CORRECTABLE)
        found.update(a + b for a, b in zip(parts, parts[1:], strict=False)
                     if correctable(a + b))
    return found


def correction_units(term: str, known=frozenset()) -> list[str]:
    """The parts of a query term a typo may be corrected in, longest first: the term; in
    Thai, Lao or Khmer, when one of its ICU words is not `known`, the term, each two
    adjacent words joined that include an unknown one, and each unknown word."""
    parts = term_words(term)
    units = [term]
    if parts:
        unknown = [i for i, part in enumerate(parts) if part not in known]
        if not unknown:
            return []
        units += [parts[i] + parts[i + 1] for i in range(len(parts) - 1)
                  if i in unknown or i + 1 in unknown]
        units += [parts[i] for i in unknown]
    return [u for u in dict.fromkeys(units) if correctable(u)]


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


def marked_terms(terms) -> tuple[str, ...]:
    """What to mark for these query terms: each term, and the ICU words of a Thai, Lao or
    Khmer term (it matches when its words occur apart, so marking it whole finds none)."""
    marks = []
    for term in terms:
        marks.append(term)
        marks.extend(part for part in (term_words(term) or ()) if len(part) > 1)
    return tuple(dict.fromkeys(marks))


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
        # Overlapping or touching spans (a Thai term and its own words) make one mark.
        merged = []
        for start, end in sorted(_marks(word, terms) or []):
            if merged and start <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        position = 0
        for start, end in merged:
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
    # Another form of a word is found by its stem, as highlight() marks it.
    pieces = {piece for term in terms if term
              for piece in ((term, stem(term)) if is_word(term) else (term,))}
    found = [i for piece in pieces if (i := folded.find(piece)) >= 0]
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
