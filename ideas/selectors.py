"""Reads of ideas that views, exports and tasks share. Visibility is applied here,
once, so no list, search, export or similar-ideas panel shows more than it may."""

import math
import operator
from collections import defaultdict
from datetime import UTC, datetime, time
from functools import reduce

from django.conf import settings
from django.db.models import (
    Case,
    Count,
    Exists,
    FloatField,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from people.settings import programme_settings
from shared.fragments import kept
from shared.paging import capped_counts
from shared.search import (
    excerpt,
    filter_and_rank,
    is_unspaced,
    normalise,
    query_terms,
    stem,
    text_pieces,
    word_index,
)
from shared.workdays import (
    add_working_days,
    current_holidays,
    overdue_cutoff,
    working_days_between,
)

from . import permissions
from .models import (
    Attachment,
    Comment,
    Contributor,
    Follow,
    Idea,
    ImpactMeasurement,
    Stage,
    Support,
    TaggedIdea,
    ThankYou,
    Transition,
)
from .search import corrections, word_weights

LIST_RELATED = ("stage", "department", "customer_segment", "submitter", "sponsor", "assignee",
                "journey_stage")
# A row of the idea list shows only these; joining fewer tables and leaving the long texts
# unloaded keeps the page's cost close to fetching its 25 rows (bench/, docs/benchmarks.md).
ROW_RELATED = ("stage", "department", "customer_segment")
ROW_DEFERRED = ("problem", "delight", "customer_detail", "whys", "search_text", "search_title",
                "search_body", "search_words")
# The columns a search reads (shared.search.rank_expression).
SEARCH_COLUMNS = {"title": "search_title", "body": "search_body", "words": "search_words",
                  "all": "search_text"}


def visible_ideas(user) -> QuerySet[Idea]:
    """Submitted ideas the person may see (confidential ones only when allowed)."""
    qs = Idea.objects.filter(status=Idea.Status.SUBMITTED)
    if not permissions.can_see_confidential(user):
        qs = qs.filter(Q(confidential=False) | Q(submitter=user))
    return qs


def viewable_ideas(user) -> QuerySet[Idea]:
    """Every idea permissions.can_view lets `user` open, as one query: their own, and
    others' submitted ones (withdrawn ones too for reviewers), confidential ones only
    for those who may see them."""
    if not user.is_authenticated:
        return Idea.objects.none()
    shown = Q(status=Idea.Status.SUBMITTED)
    if permissions.can_review(user):
        shown |= Q(status=Idea.Status.WITHDRAWN)
    if not permissions.can_see_confidential(user):
        shown &= Q(confidential=False)
    return Idea.objects.filter(shown | Q(submitter=user))


def idea_list(*, user, query: str = "") -> QuerySet[Idea]:
    qs = visible_ideas(user).select_related(*ROW_RELATED).defer(*ROW_DEFERRED)
    if query:
        qs, _ = search_ideas(qs, query)
    return qs


def search_ideas(queryset: QuerySet[Idea], query: str):
    """(ideas, corrections): the ideas of `queryset` that match every term of `query`
    (as typed, in another form of the word, or corrected when it is a typo of a known
    word), annotated with `search_rank` (shared.search.rank_expression: title above
    problem and customer text above the rest; whole words above word starts above
    inner substrings). One query more when a term may be a typo (ideas.search)."""
    terms = query_terms(query)
    fixes = corrections(terms)
    return filter_and_rank(queryset, terms, SEARCH_COLUMNS, fixes.by_term), fixes


def with_cards(ideas) -> list[Idea]:
    """What an idea card shows besides the row itself: its tags and its cover, the first
    image attached (`cover`: the attachment's id, or None). Two queries for a page."""
    ideas = with_tags(ideas)
    covers = {}
    if ideas:
        for idea_id, pk in (Attachment.objects
                            .filter(idea__in=[i.pk for i in ideas],
                                    content_type__startswith="image/")
                            .order_by("-created_at", "-pk").values_list("idea", "pk")):
            covers[idea_id] = pk  # oldest last: the first image wins
    for idea in ideas:
        idea.cover = covers.get(idea.pk)
    return ideas


def with_excerpts(ideas, marks) -> list[Idea]:
    """The ideas, each with `excerpt`: the part of its problem text around the first
    search term found there ("" when none is), for the result card. One query."""
    ideas = list(ideas)
    problems = dict(Idea.objects.filter(pk__in=[i.pk for i in ideas])
                    .values_list("pk", "problem")) if ideas and marks else {}
    for idea in ideas:
        idea.excerpt = excerpt(problems.get(idea.pk, ""), list(marks))
    return ideas


def with_tags(ideas) -> list[Idea]:
    """The ideas, each with `tag_list` ([{"slug", "name"}] by name), read in one query of
    plain values: taggit's prefetch builds a queryset per idea, which cost more than
    the 25 rows of a page it was for."""
    ideas = list(ideas)
    by_idea = defaultdict(list)
    if ideas:
        for idea_id, slug, name in (
                TaggedIdea.objects.filter(content_object_id__in=[i.pk for i in ideas])
                .order_by("tag__name").values_list("content_object_id", "tag__slug",
                                                   "tag__name")):
            by_idea[idea_id].append({"slug": slug, "name": name})
    for idea in ideas:
        idea.tag_list = by_idea[idea.pk]
    return ideas


def idea_detail(*, user, pk: int) -> Idea | None:
    # Four joins, the rest read by id: PostgreSQL took longer to plan a ten-table join
    # (20-40 ms at 100,000 ideas) than to run the whole page's queries.
    # Whether the reader supports and follows it come with it (the page shows both).
    mine = {"viewer_supports": Exists(Support.objects.filter(idea=OuterRef("pk"), user=user)),
            "viewer_follows": Exists(Follow.objects.filter(idea=OuterRef("pk"), user=user))} \
        if user.is_authenticated else {}
    idea = (Idea.objects.select_related("stage", "department", "submitter", "customer_segment")
            .prefetch_related("attachments", "sponsor", "assignee", "journey_stage",
                              "channel", "duplicate_of",
                              # The customer insights it came from (champions' records,
                              # by their relation's name: ideas does not import champions).
                              Prefetch("insights", queryset=Idea.insights.rel.related_model
                                       .objects.select_related("author")
                                       .order_by("created_at")))
            .annotate(**mine).filter(pk=pk).first())
    if idea is None or not permissions.can_view(user, idea):
        return None
    with_tags([idea])
    return idea


def idea_comments(*, idea: Idea) -> QuerySet[Comment]:
    """Oldest first, as a conversation reads (paged by shared.paging.keyset_page)."""
    return idea.comments.select_related("author", "hidden_by").order_by("created_at", "pk")


def idea_history(*, idea: Idea) -> QuerySet[Transition]:
    return idea.transitions.select_related("from_stage", "to_stage", "actor")


SIMILAR_CANDIDATES = 50
# Fewer ideas than the window: every one is compared.
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# In scripts with spaces, an idea scoring less than this share of the best one is left
# out: it shares only the common words.
SIMILAR_SHARE_OF_BEST = 0.5


def similar_ideas(*, user, text: str, exclude_pk: int | None = None, limit: int = 5):
    """Ideas that share the most pieces with `text`: words (another form of the same
    word counts: their stems), or character trigrams in scripts written without spaces
    (Thai, Lao, Khmer...), so a typed Thai sentence finds an idea that words the same
    complaint differently.

    A word counts by how rare it is among the ideas (ideas.search.word_weights): a word
    that half the ideas use ("customer", "claim") is a weak hint, a rare one a strong
    one. In scripts with spaces an idea must share at least two words (when the text has
    three or more) and score at least half of the best idea.

    Bounded cost on SQLite and PostgreSQL alike: a substring prefilter (served on
    PostgreSQL by the pg_trgm indexes) keeps ideas with at least one piece, the database
    scores each one and returns the best few dozen, and those are ranked here, with
    pieces shared by the title counting extra. One query for Thai, Lao or Khmer text,
    two with words (their weights)."""
    pieces = text_pieces(text)
    if not pieces:
        return []
    trigrams = sum(1 for p in pieces if len(p) == 3 and all(map(is_unspaced, p)))
    spaced = [p for p in pieces if not any(map(is_unspaced, p))]
    weights = dict.fromkeys(pieces, 1.0)
    if spaced:
        weights.update(word_weights(spaced))

    def condition(piece, column="search_words"):
        if piece in spaced:
            return Q(**{f"{column}__contains": f" {stem(piece)}"})
        return Q(**{f"{'search_text' if column == 'search_words' else column}__contains":
                    piece})

    match = reduce(operator.or_, [condition(p) for p in pieces])
    overlap = reduce(operator.add, [
        Case(When(condition(p), then=Value(1)), default=Value(0),
             output_field=IntegerField()) for p in pieces])
    score = reduce(operator.add, [
        Case(When(condition(p), then=Value(weights[p])), default=Value(0.0),
             output_field=FloatField()) for p in pieces])
    qs = visible_ideas(user).filter(match)
    # Bounded cost whatever the archive's size: the SIMILAR_IDEAS_WINDOW most recently
    # submitted ideas are compared (scoring every idea that shares one common word with
    # the text read most of 100,000 ideas: about a second).
    window = settings.SIMILAR_IDEAS_WINDOW
    oldest = (Idea.objects.filter(status=Idea.Status.SUBMITTED)
              .order_by("-submitted_at", "-pk").values("submitted_at")[window - 1:window])
    qs = qs.filter(submitted_at__gte=Coalesce(Subquery(oldest), Value(EPOCH)))
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    candidates = list(qs.annotate(overlap=overlap, score=score).select_related("stage")
                      .order_by("-score", "-support_count", "-submitted_at", "-pk")
                      [:SIMILAR_CANDIDATES])
    if trigrams > len(pieces) / 2:
        # One shared trigram is chance; a shared word is already a hint.
        needed = max(2, math.ceil(0.3 * len(pieces)))
    else:
        needed = 2 if len(spaced) >= 3 else 1

    def rank(idea):
        title = word_index(idea.title) if spaced else normalise(idea.title)
        return idea.score + 0.5 * sum(
            weights[p] for p in pieces
            if (f" {stem(p)}" in title if p in spaced else p in title))

    ranked = sorted((i for i in candidates if i.overlap >= needed), key=rank, reverse=True)
    if ranked and trigrams <= len(pieces) / 2:
        best = rank(ranked[0])
        ranked = [i for i in ranked if rank(i) >= SIMILAR_SHARE_OF_BEST * best]
    return ranked[:limit]


def my_ideas(*, user) -> QuerySet[Idea]:
    decisions = Transition.objects.filter(to_stage__kind__in=Stage.DECIDED_KINDS).select_related(
        "to_stage", "actor")
    return (Idea.objects.filter(submitter=user).select_related("stage")
            .prefetch_related(Prefetch("transitions", queryset=decisions, to_attr="decisions"))
            .order_by("-created_at", "-pk"))


def review_queue(*, user) -> QuerySet[Idea]:
    """Ideas waiting for a reviewer: submitted, in a stage that is not closed, and not
    the reviewer's own (nobody reviews their own idea: ideas.permissions)."""
    # By stage id, not by a join to the stage's kind: then the database walks the
    # (stage_entered_at, id) index of submitted ideas in the queue's order and stops
    # after a page, instead of joining and sorting every open idea.
    return (visible_ideas(user).filter(stage__in=open_stage_ids())
            .exclude(submitter=user)
            .select_related("stage", "department", "assignee").defer(*ROW_DEFERRED))


def next_in_queue(*, user, idea: Idea) -> Idea | None:
    """The idea after this one in the reviewer's queue, in its default order (waiting
    longest first): the decision panel's "save and open the next" goes there."""
    if not idea.stage_entered_at:
        return None
    after = (Q(stage_entered_at__gt=idea.stage_entered_at)
             | Q(stage_entered_at=idea.stage_entered_at, pk__gt=idea.pk))
    return (review_queue(user=user).filter(after).exclude(pk=idea.pk)
            .select_related(None).order_by("stage_entered_at", "pk").only("pk", "title")
            .first())


def previous_in_queue(*, user, idea: Idea) -> Idea | None:
    """The idea before this one in the reviewer's queue (next_in_queue's mirror)."""
    if not idea.stage_entered_at:
        return None
    before = (Q(stage_entered_at__lt=idea.stage_entered_at)
              | Q(stage_entered_at=idea.stage_entered_at, pk__lt=idea.pk))
    return (review_queue(user=user).filter(before).exclude(pk=idea.pk)
            .select_related(None).order_by("-stage_entered_at", "-pk").only("pk", "title")
            .first())


def stages() -> list[Stage]:
    """Every stage in pipeline order, read once per process until a vocabulary changes
    (shared.fragments.kept): the queue and its overdue figures ask on every request."""
    return kept("ideas.stages", lambda: list(Stage.objects.all()))


def open_stage_ids() -> list[int]:
    """The stages an idea waits in for a reviewer (not closed)."""
    return [stage.pk for stage in stages() if stage.kind not in Stage.CLOSED_KINDS]


def default_response_target() -> int | None:
    """The programme's default response target (working days) for open stages that have
    none of their own (Programme settings; None: such stages have no target)."""
    return programme_settings().review_response_target_days


def stage_target(stage: Stage | None, default: int | None = None) -> int | None:
    """The response-time target of a stage in working days: its own, else (for a stage
    that is not closed) the programme's default. None: no target."""
    if stage is None:
        return None
    if stage.response_target_days is not None:
        return stage.response_target_days
    return None if stage.is_closed else default


def overdue_cutoffs(today=None) -> list[tuple[Stage, datetime]]:
    """(stage, end) for every stage with a response-time target: an idea in that stage
    since `end` or earlier is overdue."""
    today = today or timezone.localdate()
    holidays, default = current_holidays(), default_response_target()
    cutoffs = []
    for stage in stages():
        target = stage_target(stage, default)
        if target is not None:
            cutoff = overdue_cutoff(today, target, holidays=holidays)
            cutoffs.append((stage, timezone.make_aware(datetime.combine(cutoff, time.max))))
    return cutoffs


def overdue_q(today=None) -> Q:
    """Ideas past their stage's response-time target, as one database condition."""
    condition = Q(pk__in=[])
    for stage, end in overdue_cutoffs(today):
        condition |= Q(stage=stage, stage_entered_at__lte=end)
    return condition


def overdue_by_department(ideas: QuerySet[Idea], today=None) -> dict[int | None, int]:
    """{department id: overdue ideas} among `ideas`, as one query of one index range per
    stage (UNION ALL): PostgreSQL answers each from the overdue index alone, where one
    condition ORing the stages made it read every overdue idea's row (0.35 s at a
    million ideas)."""
    parts = [ideas.filter(stage=stage, stage_entered_at__lte=end).order_by()
             .values("department_id").annotate(n=Count("pk")).values_list("department_id", "n")
             for stage, end in overdue_cutoffs(today)]
    counts: dict[int | None, int] = defaultdict(int)
    if parts:
        for department_id, n in parts[0].union(*parts[1:], all=True).order_by():
            counts[department_id] += n
    return dict(counts)


_READ = object()


def waiting_rows(ideas, today=None) -> list[dict]:
    """{"idea", "waiting"} for each idea of a page, reading the calendar once."""
    today = today or timezone.localdate()
    holidays, default = current_holidays(), default_response_target()
    return [{"idea": idea, "waiting": waiting(idea, today, holidays=holidays,
                                              default_target=default)} for idea in ideas]


def waiting(idea: Idea, today=None, *, holidays=None, default_target=_READ) -> dict:
    """How long an idea has waited in its stage, and whether that is overdue. A list
    passes `holidays` (shared.workdays.current_holidays()) and `default_target`
    (default_response_target()), read once for all its rows."""
    if not idea.stage_entered_at:
        return {"days": 0, "due": None, "overdue": False}
    today = today or timezone.localdate()
    if holidays is None:
        holidays = current_holidays()
    if default_target is _READ:
        default_target = default_response_target()
    days = working_days_between(idea.stage_entered_at, today, holidays=holidays)
    target = stage_target(idea.stage, default_target)
    if target is None or idea.stage.is_closed:
        return {"days": days, "due": None, "overdue": False}
    return {"days": days, "due": add_working_days(idea.stage_entered_at, target,
                                                  holidays=holidays),
            "overdue": days > target}


def recent_changes_for(*, user, limit: int = 6) -> list[Transition]:
    """Stage changes on ideas the person submitted or follows (that they may still see),
    in one query. The person's ideas are a UNION of two indexed lookups: one condition
    "submitted OR followed" (an OR over a join) made the database scan every idea."""
    theirs = (Idea.objects.filter(submitter=user).order_by().values("pk")
              .union(Follow.objects.filter(user=user).order_by().values("idea_id")))
    visible = Q(idea__status=Idea.Status.SUBMITTED)
    if not permissions.can_see_confidential(user):
        visible &= Q(idea__confidential=False) | Q(idea__submitter=user)
    return list(Transition.objects.filter(visible, idea_id__in=theirs, from_stage__isnull=False)
                .select_related("idea", "to_stage")
                .defer(*(f"idea__{name}" for name in ROW_DEFERRED))
                .order_by("-created_at")[:limit])


def review_summary(*, user, today=None) -> dict:
    """A reviewer's next ideas and the queue's counts (assigned to them, unassigned,
    overdue; each capped like every list count, shared.paging) in two queries: the home
    page's review panel."""
    today = today or timezone.localdate()
    queue = review_queue(user=user)
    counts = capped_counts(
        assigned=queue.filter(assignee=user),
        # Ideas nobody has picked up yet wait for every reviewer.
        unassigned=queue.filter(assignee__isnull=True),
        overdue=queue.filter(overdue_q(today)))
    ideas = list(queue.filter(assignee=user).select_related(None).only("pk", "title")
                 .order_by("stage_entered_at", "pk")[:5])
    return {"ideas": ideas, **{f"{name}_count": n for name, (n, _) in counts.items()},
            **{f"{name}_capped": capped for name, (_, capped) in counts.items()}}


def decided_public_ideas(*, include_declined: bool = False) -> QuerySet[Idea]:
    """Ideas with a decision that every employee may see: what a newsletter's "you said,
    we did" can show (it goes to everyone, so never a confidential idea)."""
    kinds = set(Stage.ACCEPTED_KINDS)
    if include_declined:
        kinds.add(Stage.Kind.DECLINED)
    return Idea.objects.filter(status=Idea.Status.SUBMITTED, confidential=False,
                               stage__kind__in=kinds, decided_at__isnull=False)


def recently_implemented(*, user, limit: int = 5) -> list[Idea]:
    # decided_at IS NOT NULL lets the index ideas_list_decided give the order directly.
    return list(visible_ideas(user).filter(stage__kind=Stage.Kind.IMPLEMENTED,
                                           decided_at__isnull=False)
                .select_related("stage", "department").order_by("-decided_at")[:limit])


# --- Campaigns ------------------------------------------------------------------------

CAMPAIGN_IDEAS_SHOWN = 50


def campaign_list(*, user) -> dict:
    """The live campaigns, split into open (in the person's audience), coming and closed."""
    from .models import CampaignPage

    today = timezone.localdate()
    campaigns = list(CampaignPage.objects.live().prefetch_related(
        "audience_departments", "audience_roles").order_by("closes_on", "pk"))
    open_now = [c for c in campaigns if c.opens_on <= today <= c.closes_on
                and permissions.in_campaign_audience(user, c)]
    return {"open": open_now,
            "coming": [c for c in campaigns if c.opens_on > today],
            "closed": sorted((c for c in campaigns if c.closes_on < today),
                             key=lambda c: c.closes_on, reverse=True)}


def open_campaigns_for(*, user) -> list:
    """Campaigns open today to this person: the submit form and the home page offer
    them. The open campaigns and their audiences are read once per process and day
    (publishing or unpublishing one changes the vocabulary version: shared.fragments)."""
    from .models import CampaignPage

    today = timezone.localdate()
    campaigns = kept(f"ideas.open_campaigns:{today.isoformat()}", lambda: list(
        CampaignPage.objects.live().filter(opens_on__lte=today, closes_on__gte=today)
        .prefetch_related("audience_departments", "audience_roles")
        .order_by("closes_on", "pk")))
    return [c for c in campaigns if permissions.in_campaign_audience(user, c)]


def campaign_overview(*, campaign, user) -> dict:
    """A campaign page's ideas (those the reader may see), its funnel (ideas per kind of
    stage) and its decisions; a fixed number of queries whatever the number of ideas."""
    ideas = idea_list(user=user).filter(campaign=campaign, status=Idea.Status.SUBMITTED)
    by_kind = dict(ideas.order_by().values_list("stage__kind").annotate(n=Count("pk")))
    funnel = [{"kind": kind, "label": label, "n": by_kind.get(kind, 0)}
              for kind, label in Stage.Kind.choices]
    rows = list(ideas.order_by("-submitted_at", "-pk")[:CAMPAIGN_IDEAS_SHOWN])
    decisions = list(Transition.objects.filter(
        idea__in=ideas, to_stage__kind__in=Stage.DECIDED_KINDS)
        .select_related("idea", "to_stage").order_by("-created_at")[:10])
    return {"campaign_ideas": rows, "campaign_total": sum(by_kind.values()),
            "funnel": funnel, "decisions": decisions}


# --- Recognition ----------------------------------------------------------------------


def idea_recognition(*, idea: Idea, user) -> dict:
    """The idea page's credits and thanks: the co-authors (the submitter also sees
    pending and declined invitations; an invitee sees their own), the reader's open
    invitation, and the thank-you notes. Two queries."""
    rows = list(Contributor.objects.filter(idea=idea).select_related("person")
                .order_by("invited_at", "pk"))
    coauthors = [c for c in rows if c.status == Contributor.Status.ACCEPTED]
    idea._credited_ids = {idea.submitter_id, *(c.person_id for c in coauthors)}
    mine = next((c for c in rows if c.person_id == user.pk), None)
    return {
        "coauthors": coauthors,
        "contributions": rows if idea.submitter_id == user.pk else [],
        "my_contribution": mine,
        "thanks": list(ThankYou.objects.filter(idea=idea).select_related("author")
                       .order_by("-created_at", "-pk")[:50]),
    }


def credited_q(person) -> Q:
    """Ideas that credit `person`: submitted by them, or co-authored (accepted)."""
    return Q(submitter=person) | Q(pk__in=Contributor.objects.filter(
        person=person, status=Contributor.Status.ACCEPTED).values("idea"))


PROFILE_IDEAS_SHOWN = 20


def contributions_of(*, person, viewer) -> dict:
    """A person's profile: the implemented ideas that credit them (those the reader may
    see), each with its measured impact, and the thanks they received. Four queries."""
    credited = visible_ideas(viewer).filter(credited_q(person))
    implemented = credited.filter(stage__kind=Stage.Kind.IMPLEMENTED)
    rows = list(implemented.select_related("stage", "impact")
                .order_by("-decided_at", "-pk")[:PROFILE_IDEAS_SHOWN])
    thanks = ThankYou.objects.filter(idea__in=credited)
    return {
        "implemented_ideas": rows,
        "implemented_count": implemented.count(),
        "improved_count": implemented.filter(ImpactMeasurement.improved_q("impact__")).count(),
        "thanks_received": list(thanks.select_related("author", "idea")
                                .order_by("-created_at", "-pk")[:10]),
    }


def _impact(idea):
    try:
        return idea.impact
    except Idea.impact.RelatedObjectDoesNotExist:
        return None


BOARD_ROWS = 20


def recognition_board(*, start, end) -> dict:
    """Departments and people ranked by the ideas implemented in the period and how many
    of those measurably improved their customer metric: never by submissions, which
    reward volume rather than value. Only ideas every employee may see count (the board
    is the same for everyone). A fixed number of queries whatever the number of ideas."""
    from people.models import Department, User

    implemented_at = (Transition.objects.filter(idea=OuterRef("pk"),
                                                to_stage__kind=Stage.Kind.IMPLEMENTED)
                      .order_by("created_at").values("created_at")[:1])
    ideas = list(Idea.objects.filter(status=Idea.Status.SUBMITTED, confidential=False,
                                     stage__kind=Stage.Kind.IMPLEMENTED)
                 .annotate(implemented_at=Subquery(implemented_at))
                 .filter(implemented_at__date__gte=start, implemented_at__date__lte=end)
                 .select_related("impact").defer(*ROW_DEFERRED))
    coauthors = defaultdict(list)
    for idea_id, person_id in Contributor.objects.filter(
            idea__in=[i.pk for i in ideas], status=Contributor.Status.ACCEPTED
    ).values_list("idea", "person"):
        coauthors[idea_id].append(person_id)
    people, departments = defaultdict(lambda: [0, 0]), defaultdict(lambda: [0, 0])
    for idea in ideas:
        improved = 1 if (impact := _impact(idea)) and impact.improved else 0
        for person_id in {idea.submitter_id, *coauthors[idea.pk]}:
            people[person_id][0] += 1
            people[person_id][1] += improved
        if idea.department_id:
            departments[idea.department_id][0] += 1
            departments[idea.department_id][1] += improved

    def ranked(counts, objects):
        rows = [{"who": objects[pk], "implemented": n, "improved": better}
                for pk, (n, better) in counts.items() if pk in objects]
        rows.sort(key=lambda r: (-r["improved"], -r["implemented"], str(r["who"])))
        return rows[:BOARD_ROWS]

    top_people = sorted(people, key=lambda pk: (-people[pk][1], -people[pk][0]))
    return {
        "ideas_implemented": len(ideas),
        "ideas_improved": sum(1 for i in ideas if (m := _impact(i)) and m.improved),
        "people": ranked(people, User.objects.filter(is_active=True).in_bulk(
            top_people[:BOARD_ROWS * 2])),
        "departments": ranked(departments, Department.objects.in_bulk(list(departments))),
    }


def with_credits(ideas) -> list[Idea]:
    """The ideas, each with `credited` (submitter first, then the co-authors who
    accepted: User rows) and `thanks_count`. Needs `submitter` selected; two queries."""
    ideas = list(ideas)
    coauthors, thanked = defaultdict(list), {}
    if ideas:
        ids = [i.pk for i in ideas]
        for row in (Contributor.objects.filter(idea__in=ids,
                                               status=Contributor.Status.ACCEPTED)
                    .select_related("person").order_by("invited_at", "pk")):
            coauthors[row.idea_id].append(row.person)
        thanked = dict(ThankYou.objects.filter(idea__in=ids).order_by()
                       .values_list("idea").annotate(n=Count("pk")))
    for idea in ideas:
        idea.credited = [idea.submitter, *coauthors[idea.pk]]
        idea.thanks_count = thanked.get(idea.pk, 0)
    return ideas
