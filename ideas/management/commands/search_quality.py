"""How well the idea search and the "similar ideas" panel find what they should, on the
labelled set in ideas/evaluation/ (docs/search-quality.md).

    manage.py search_quality [--json] [--write docs/search-quality.md] [--with-existing-ideas]
    SEARCH_EMBEDDINGS=local manage.py search_quality --semantic [--json] [--write ...]

Loads the set's ideas into the database, submitted and public, as one submitter; then,
as a plain employee, runs every query through the idea list's search (the list page's
filter set over selectors.idea_list, in the page's order) and every duplicate text
through selectors.similar_ideas (as the submit form's panel calls it), and reports:

- search: MRR over the first page of results, and recall@5; overall, per language and
  per kind of query;
- duplicates: recall@5 and precision@5 for same-language and cross-language texts,
  per language.

Everything happens in one transaction that is rolled back: the command leaves nothing
behind. It refuses to run on a database that already has ideas, whose results would mix
in (--with-existing-ideas: run anyway, those ideas count as not relevant: a measure with
an archive's worth of distractors).

--semantic (the embedding backend on, ideas.semantic): the set's ideas are embedded by the
service the backfill uses (semantic.idea_embed), inside the same rolled-back transaction,
and every duplicate text also goes through semantic.similar_ideas, the path both panels
take with the backend on ("combined"), and through semantic.semantic_neighbours alone (the
five nearest by cosine, no threshold). The report (and --write, into its own
search-semantic markers) compares lexical alone, semantic alone and combined."""

import json
import random
import sqlite3
import uuid
from datetime import timedelta
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from ideas import evaluation, selectors, semantic
from ideas.evaluation.metrics import mean, precision_at_k, recall_at_k, reciprocal_rank
from ideas.filters import IdeaFilterSet
from ideas.models import Idea, IdeaEmbedding, Metric, Stage
from ideas.search import index_words
from people.models import User

K = 5
# The list page shows 25 ideas (ideas.views.PAGE_SIZE): a relevant idea further down is
# one nobody sees; MRR is computed over that first page.
DEPTH = 25
# The similar-ideas view joins title and problem and keeps the first 400 characters.
SIMILAR_TEXT_LENGTH = 400
SEED = 19
START, END = "<!-- search-quality:start -->", "<!-- search-quality:end -->"
# --semantic writes its own section, so the lexical one (and its markers) is left alone.
SEMANTIC_START, SEMANTIC_END = "<!-- search-semantic:start -->", "<!-- search-semantic:end -->"
# The ways a duplicate text is looked up with --semantic, in the report's column order.
METHODS = (("lexical", "lexical alone"), ("semantic", "semantic alone"),
           ("combined", "combined"))


class Command(BaseCommand):
    help = "Measure search and duplicate detection on the labelled set (rolled back)."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="Print the figures as JSON.")
        parser.add_argument("--write", metavar="PATH",
                            help="Write the report into this Markdown file (between its "
                                 f"{START} and {END} markers if it has them).")
        parser.add_argument("--with-existing-ideas", action="store_true",
                            help="Run on a database that already has ideas; they count as "
                                 "not relevant.")
        parser.add_argument("--semantic", action="store_true",
                            help="Also measure duplicates with the embedding backend "
                                 "(SEARCH_EMBEDDINGS must be on): lexical alone, semantic "
                                 "alone and combined.")

    def handle(self, *args, **options):
        if Idea.objects.exists() and not options["with_existing_ideas"]:
            raise CommandError(
                "This database already has ideas, which would mix into the results. Run on "
                "an empty database, or pass --with-existing-ideas to count them as not "
                "relevant. (Nothing is ever kept: the run is rolled back.)")
        backend = None
        if options["semantic"]:
            if not semantic.enabled():
                raise CommandError(
                    "--semantic needs the embedding backend: set SEARCH_EMBEDDINGS=local "
                    "(README \"Similar ideas across wording and language\").")
            backend = _Remembering(semantic.get_backend())
        with transaction.atomic():
            report = evaluate(backend=backend)
            transaction.set_rollback(True)
        text = semantic_markdown(report) if backend else markdown(report)
        if options["write"]:
            if backend:
                write_report(Path(options["write"]), text, SEMANTIC_START, SEMANTIC_END)
            else:
                write_report(Path(options["write"]), text)
        if options["json"]:
            self.stdout.write(json.dumps(report, ensure_ascii=False, indent=2))
        elif not options["write"]:
            self.stdout.write(text)


class _Remembering:
    """The configured backend, encoding each distinct text once: semantic alone and
    combined look the same text up, and a numpy encode is the slow part of the run. It
    changes nothing in what the backend returns."""

    def __init__(self, backend):
        self.backend, self.name, self._seen = backend, backend.name, {}

    def encode(self, texts):
        import numpy as np

        todo = [t for t in dict.fromkeys(texts) if t not in self._seen]
        if todo:
            self._seen.update(zip(todo, self.backend.encode(todo), strict=True))
        return np.array([self._seen[t] for t in texts], dtype=np.float32)


# --- Running the set ----------------------------------------------------------------------

def evaluate(backend=None) -> dict:
    """The figures; with `backend` (an embedding backend) duplicates are also looked up
    semantically and combined, after the set's ideas were embedded."""
    tag = uuid.uuid4().hex[:8]
    submitter = _person(f"search-quality-submitter-{tag}")
    viewer = _person(f"search-quality-viewer-{tag}")
    keys = load_corpus(evaluation.corpus(), submitter)
    if backend is not None:
        # The service behind the submit task and `embed_ideas`; only the set's ideas, so
        # --with-existing-ideas does not embed an archive (its stored vectors count).
        semantic.idea_embed(idea_ids=list(keys), backend=backend)

    def key(idea):
        return keys.get(idea.pk, f"other:{idea.pk}")

    searches = []
    for judgement in evaluation.queries():
        ranked = [key(i) for i in search(viewer, judgement["query"])[:DEPTH]]
        searches.append({**judgement, "ranked": ranked,
                         "rr": reciprocal_rank(ranked, judgement["relevant"]),
                         "recall": recall_at_k(ranked, judgement["relevant"], K)})

    langs = {item["key"]: item["lang"] for item in evaluation.corpus()}
    pairs = []
    visible = selectors.visible_ideas(viewer)
    for pair in evaluation.duplicates():
        text = pair["text"][:SIMILAR_TEXT_LENGTH]
        shown = [key(i) for i in selectors.similar_ideas(user=viewer, text=text, limit=K)]
        # Same-language texts are judged on finding their same-language twins (the
        # cross-language ones are measured by the cross-language texts); whatever is
        # shown counts as right when it is a duplicate in any language.
        wanted = [k for k in pair["duplicate_of"]
                  if pair["cross_language"] or langs[k] == pair["lang"]]
        row = {**pair, "shown": shown, "recall": recall_at_k(shown, wanted, K),
               "precision": precision_at_k(shown, pair["duplicate_of"], K)}
        if backend is not None:
            row["methods"] = {"lexical": shown}
            row["methods"]["semantic"] = [keys.get(pk, f"other:{pk}") for pk, _ in
                                          semantic.semantic_neighbours(
                                              text=text, candidates_qs=visible, limit=K,
                                              backend=backend)]
            row["methods"]["combined"] = [key(i) for i in semantic.similar_ideas(
                user=viewer, text=text, limit=K, backend=backend)]
            row["by_method"] = {
                m: {"shown": ranked, "recall": recall_at_k(ranked, wanted, K),
                    "precision": precision_at_k(ranked, pair["duplicate_of"], K)}
                for m, ranked in row.pop("methods").items()}
        pairs.append(row)
    report = summarise(searches, pairs)
    if backend is not None:
        report["semantic"] = summarise_semantic(pairs, keys, backend)
    return report


def search(user, query: str) -> list[Idea]:
    """The idea list page's search, as ideas.views.idea_list runs it: its filter set over
    selectors.idea_list, in the page's default order."""
    filterset = IdeaFilterSet({"q": query}, queryset=selectors.idea_list(user=user))
    if not filterset.is_valid():
        raise CommandError(f"The list refuses the query {query!r}: {filterset.errors}")
    return list(filterset.qs[:DEPTH])


def _person(username: str) -> User:
    user = User.objects.create(username=username, email=f"{username}@search-quality.invalid")
    user.set_unusable_password()
    user.save(update_fields=["password"])
    return user


def load_corpus(corpus, submitter) -> dict[int, str]:
    """Create the set's ideas as submitted, public ideas in the initial stage, submitted
    at times spread (by a fixed seed) over the past year, so that "newest first" is not
    the order of the file. Returns {idea pk: key}."""
    rng = random.Random(SEED)
    now = timezone.now()
    stage = Stage.objects.filter(is_initial=True).first()
    ideas = []
    for item in corpus:
        when = now - timedelta(seconds=rng.randrange(365 * 24 * 3600))
        idea = Idea(title=item["title"], problem=item["problem"], delight=item["delight"],
                    metric=item.get("metric") or Metric.OTHER, submitter=submitter,
                    status=Idea.Status.SUBMITTED, stage=stage, stage_entered_at=when,
                    submitted_at=when)
        idea.refresh_search_text(tag_names=[])
        ideas.append(idea)
    created = Idea.objects.bulk_create(ideas)
    index_words(created)  # as ideas.services.idea_submit does
    return {idea.pk: item["key"] for idea, item in zip(created, corpus, strict=True)}


# --- Figures ------------------------------------------------------------------------------

def _search_figures(rows) -> dict:
    return {"queries": len(rows), "mrr": _round(mean(r["rr"] for r in rows)),
            "recall_at_5": _round(mean(r["recall"] for r in rows)),
            "nothing_relevant_on_page_1": sum(1 for r in rows if r["rr"] == 0)}


def _duplicate_figures(rows) -> dict:
    return {"texts": len(rows), "recall_at_5": _round(mean(r["recall"] for r in rows)),
            "precision_at_5": _round(mean(r["precision"] for r in rows)),
            "nothing_shown": sum(1 for r in rows if not r["shown"])}


def _grouped(rows, field, figures, order=None) -> dict:
    values = order or sorted({r[field] for r in rows})
    return {v: figures([r for r in rows if r[field] == v]) for v in values
            if any(r[field] == v for r in rows)}


def summarise(searches, pairs) -> dict:
    langs = evaluation.LANGUAGES
    corpus = evaluation.corpus()
    duplicates = {}
    for name, cross in (("same_language", False), ("cross_language", True)):
        rows = [p for p in pairs if p["cross_language"] is cross]
        duplicates[name] = {**_duplicate_figures(rows),
                            "by_language": _grouped(rows, "lang", _duplicate_figures, langs)}
    return {
        "database": database(),
        "set": {"ideas": len(corpus),
                "ideas_by_language": {lang: sum(1 for i in corpus if i["lang"] == lang)
                                      for lang in langs},
                "queries": len(searches), "duplicate_texts": len(pairs)},
        "search": {**_search_figures(searches), "depth": DEPTH,
                   "by_language": _grouped(searches, "lang", _search_figures, langs),
                   "by_kind": _grouped(searches, "kind", _search_figures)},
        "duplicates": {"k": K, **duplicates},
        "details": {
            "search": [{k: r[k] for k in ("query", "lang", "kind", "relevant", "ranked", "rr",
                                          "recall")} for r in searches],
            "duplicates": [{k: p[k] for k in ("text", "lang", "cross_language",
                                              "duplicate_of", "shown", "recall",
                                              "precision", "by_method") if k in p}
                           for p in pairs]},
    }


def summarise_semantic(pairs, keys, backend) -> dict:
    """Duplicates per method, group and language; and how many of the set's ideas the
    model could read (a zero vector, stored for a text it cannot read, matches nothing)."""
    import numpy as np

    langs = evaluation.LANGUAGES
    corpus_lang = {item["key"]: item["lang"] for item in evaluation.corpus()}
    readable = dict.fromkeys(langs, 0)
    for pk, vector in IdeaEmbedding.objects.filter(idea_id__in=list(keys)).values_list(
            "idea_id", "vector"):
        if np.frombuffer(bytes(vector), dtype="<f4").any():
            readable[corpus_lang[keys[pk]]] += 1

    def figures(method):
        def of(rows):
            return _duplicate_figures([{**r, **r["by_method"][method]} for r in rows])
        return of

    groups = {}
    for name, cross in (("same_language", False), ("cross_language", True)):
        rows = [p for p in pairs if p["cross_language"] is cross]
        groups[name] = {m: {**figures(m)(rows),
                            "by_language": _grouped(rows, "lang", figures(m), langs)}
                        for m, _ in METHODS}
    return {"model": backend.name, "ideas_with_a_vector": readable,
            "methods": {m: label for m, label in METHODS}, **groups}


def database() -> str:
    if connection.vendor == "sqlite":
        return f"SQLite {sqlite3.sqlite_version}"
    if connection.vendor == "postgresql":
        major, minor = divmod(connection.pg_version, 10000)
        with connection.cursor() as cursor:
            cursor.execute("SELECT datctype FROM pg_database WHERE datname = current_database()")
            (ctype,) = cursor.fetchone()
        return f"PostgreSQL {major}.{minor} (LC_CTYPE {ctype})"
    return connection.vendor


def _round(value):
    return None if value is None else round(value, 3)


# --- Report -------------------------------------------------------------------------------

def _cell(value) -> str:
    return "–" if value is None else f"{value:.3f}" if isinstance(value, float) else str(value)


def _table(header, rows) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in rows]
    return lines


def markdown(report) -> str:
    s, d = report["search"], report["duplicates"]
    out = [f"Measured on {report['database']}: {report['set']['ideas']} ideas, "
           f"{report['set']['queries']} search judgements, "
           f"{report['set']['duplicate_texts']} duplicate texts "
           f"(`manage.py search_quality`).", "",
           f"**Search** (MRR over the first page of {s['depth']} results):", ""]
    out += _table(["queries", "language / kind", "MRR", "recall@5", "nothing relevant on page 1"],
                  [[s["queries"], "**all**", s["mrr"], s["recall_at_5"],
                    s["nothing_relevant_on_page_1"]]]
                  + [[f["queries"], lang, f["mrr"], f["recall_at_5"],
                      f["nothing_relevant_on_page_1"]] for lang, f in s["by_language"].items()]
                  + [[f["queries"], f"*{kind}*", f["mrr"], f["recall_at_5"],
                      f["nothing_relevant_on_page_1"]] for kind, f in s["by_kind"].items()])
    out += ["", f"**Duplicates** (the similar-ideas panel, {d['k']} shown at most):", ""]
    rows = []
    for name, label in (("same_language", "same language"), ("cross_language", "cross-language")):
        f = d[name]
        rows.append([f["texts"], f"**{label}**", f["recall_at_5"], f["precision_at_5"],
                     f["nothing_shown"]])
        rows += [[g["texts"], f"{label}: {lang}", g["recall_at_5"], g["precision_at_5"],
                  g["nothing_shown"]] for lang, g in f["by_language"].items()]
    out += _table(["texts", "group", "recall@5", "precision@5", "nothing shown"], rows)
    misses = [r for r in report["details"]["search"] if r["rr"] == 0]
    out += ["", "<details><summary>Queries with nothing relevant on the first page "
            f"({len(misses)})</summary>", ""]
    out += [f"- `{r['query']}` ({r['lang']}, {r['kind']})" for r in misses]
    out += ["", "</details>"]
    return "\n".join(out) + "\n"


def _pair(f) -> str:
    return f"{_cell(f['recall_at_5'])} / {_cell(f['precision_at_5'])}"


def semantic_markdown(report) -> str:
    sem = report["semantic"]
    readable = ", ".join(f"{lang} {n} of {report['set']['ideas_by_language'][lang]}"
                         for lang, n in sem["ideas_with_a_vector"].items())
    out = [f"Measured on {report['database']} with the model `{sem['model']}`: "
           f"{report['set']['ideas']} ideas, {report['set']['duplicate_texts']} duplicate "
           "texts (`SEARCH_EMBEDDINGS=local manage.py search_quality --semantic`). Ideas "
           f"the model could read (a non-zero vector): {readable}.", "",
           f"**Duplicates**, recall@{report['duplicates']['k']} / precision@"
           f"{report['duplicates']['k']}: *lexical alone* is the panel with the backend off "
           "(`selectors.similar_ideas`), *semantic alone* the five nearest ideas by cosine "
           "(`semantic.semantic_neighbours`, no threshold), *combined* the panel with the "
           "backend on (`semantic.similar_ideas`, both panels' path). *Nothing shown* is "
           "lexical / combined.", ""]
    rows = []
    for name, label in (("same_language", "same language"), ("cross_language", "cross-language")):
        g = sem[name]
        rows.append([g["lexical"]["texts"], f"**{label}**",
                     *(_pair(g[m]) for m, _ in METHODS),
                     f"{g['lexical']['nothing_shown']} / {g['combined']['nothing_shown']}"])
        for lang, lexical in g["lexical"]["by_language"].items():
            rows.append([lexical["texts"], f"{label}: {lang}",
                         *(_pair(g[m]["by_language"][lang]) for m, _ in METHODS),
                         f"{lexical['nothing_shown']} / "
                         f"{g['combined']['by_language'][lang]['nothing_shown']}"])
    out += _table(["texts", "group", *(label for _, label in METHODS), "nothing shown"], rows)
    return "\n".join(out) + "\n"


def write_report(path: Path, report: str, start: str = START, end: str = END) -> None:
    """Replace the section between `start` and `end` in `path` (or append one)."""
    block = f"{start}\n{report}{end}"
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if start in text and end in text:
        head, rest = text.split(start, 1)
        text = head + block + rest.split(end, 1)[1]
    else:
        text = (text + "\n" if text else "# Search quality\n\n") + block + "\n"
    path.write_text(text, encoding="utf-8")
