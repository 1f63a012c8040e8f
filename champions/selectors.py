"""Reads for the roster, coverage, profiles, insights and the meeting opener."""

from django.db.models import Avg, Count, Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone
from wagtail import hooks

from ideas.models import Stage
from ideas.selectors import contributions_of, visible_ideas
from people.models import Department, User
from shared.search import filter_by_text

from .models import (
    Insight,
    InsightUpdate,
    Nomination,
    PulseAnswer,
    PulseResponse,
    PulseRound,
    Term,
)


def _active_q(prefix: str, today) -> Q:
    return Q(**{f"{prefix}starts_on__lte": today, f"{prefix}ends_on__gte": today,
                f"{prefix}ended_on__isnull": True})


def roster_departments(*, status: str = "active", department=None,
                       query: str = "") -> QuerySet[Department]:
    """The roster by department: each department with its matching terms prefetched as
    `roster_terms`. With no name search, the active and "all" views list every department,
    so those without a champion show as gaps; the past/upcoming views and a name search
    list only departments with a matching term. Three queries whatever the size."""
    terms = roster(status=status, query=query)
    qs = Department.objects.order_by("name", "pk").prefetch_related(
        Prefetch("champion_terms", queryset=terms, to_attr="roster_terms"))
    if department is not None:
        qs = qs.filter(pk=department.pk)
    if query or status in {"past", "upcoming"}:
        qs = qs.filter(Exists(terms.filter(department=OuterRef("pk"))))
    return qs


def roster(*, status: str = "active", department=None, query: str = "") -> QuerySet[Term]:
    today = timezone.localdate()
    qs = Term.objects.select_related("person", "department", "person__department")
    if status == "active":
        qs = qs.filter(_active_q("", today))
    elif status == "past":
        qs = qs.filter(Q(ended_on__isnull=False) | Q(ends_on__lt=today))
    elif status == "upcoming":
        qs = qs.filter(starts_on__gt=today, ended_on__isnull=True)
    if department is not None:
        qs = qs.filter(department=department)
    if query:
        qs = qs.filter(Q(person__display_name__icontains=query) |
                       Q(person__first_name__icontains=query) |
                       Q(person__last_name__icontains=query) |
                       Q(person__email__icontains=query))
    return qs.order_by("department__name", "person__display_name", "-starts_on")


def coverage(today=None) -> dict:
    """Per-department champion coverage, computed in the database."""
    today = today or timezone.localdate()
    soon = Term.ending_soon_until(today)
    departments = list(
        Department.objects.annotate(
            active_champions=Count("champion_terms", filter=_active_q("champion_terms__", today),
                                   distinct=True),
            ending_soon=Count("champion_terms", filter=_active_q("champion_terms__", today)
                              & Q(champion_terms__ends_on__lte=soon), distinct=True),
        ).select_related("parent").order_by("name")
    )
    covered = sum(1 for d in departments if d.active_champions)
    for d in departments:
        d.per_hundred = (round(100 * d.active_champions / d.head_count, 1)
                         if d.head_count else None)
        d.status = ("gap" if not d.active_champions
                    else "ending" if d.ending_soon >= d.active_champions else "covered")
    return {
        "departments": departments,
        "tree": _tree(departments),
        "total": len(departments),
        "covered": covered,
        "percentage": round(100 * covered / len(departments)) if departments else 0,
        "gaps": [d for d in departments if d.status == "gap"],
        "ending": [d for d in departments if d.ending_soon],
    }


def _tree(departments) -> list:
    children: dict = {}
    for d in departments:
        children.setdefault(d.parent_id, []).append(d)

    def build(parent_id, depth=0):
        return [{"department": d, "depth": depth, "children": build(d.pk, depth + 1)}
                for d in children.get(parent_id, []) if depth < 20]

    return build(None)


def champion_profile(*, person: User, viewer) -> dict:
    terms = list(person.champion_terms.select_related("department", "successor"))
    sponsored = list(visible_ideas(viewer).filter(sponsor=person).select_related("stage")
                     .order_by("-decided_at"))
    insights = insight_feed().filter(author=person)[:20]
    inspired = Insight.objects.filter(author=person, idea__isnull=False).count()
    profile = {
        "person": person, "terms": terms, "sponsored": sponsored, "insights": insights,
        "outcomes": {
            "implemented": sum(1 for i in sponsored if i.stage.kind == Stage.Kind.IMPLEMENTED),
            "in_progress": sum(1 for i in sponsored
                               if i.stage.kind in Stage.UNDER_WAY_KINDS),
            "insights_to_ideas": inspired,
        },
        # Credit for their own and co-authored ideas: implemented, measured, thanked.
        **contributions_of(person=person, viewer=viewer),
    }
    # Apps above this one add what the person did there (the newsletter: issues written),
    # through the "champion_profile_context" hook: a callable taking person and viewer
    # and returning extra context.
    for extend in hooks.get_hooks("champion_profile_context"):
        profile.update(extend(person=person, viewer=viewer))
    return profile


def insight_feed(*, query: str = "") -> QuerySet[Insight]:
    qs = Insight.objects.select_related("author", "department", "customer_segment", "channel",
                                        "idea", "owner").prefetch_related("tags")
    if query:
        qs = filter_by_text(qs, query)
    return qs


def insight_page(*, pk: int) -> Insight | None:
    """One insight with its answer's history (who moved it on, handed it over, and
    their notes). Insights are read by everyone signed in."""
    updates = InsightUpdate.objects.select_related("actor", "owner")
    return (insight_feed().prefetch_related(Prefetch("updates", queryset=updates))
            .filter(pk=pk).first())


def insight_queue(*, user, owner: str = "mine", department=None) -> QuerySet[Insight]:
    """Open insights (new, then acknowledged) by their target, the most urgent first:
    the reader's own, those nobody owns, or everyone's."""
    qs = insight_feed().filter(status__in=Insight.OPEN)
    if owner == "mine":
        qs = qs.filter(owner=user)
    elif owner == "unowned":
        qs = qs.filter(owner__isnull=True)
    if department is not None:
        qs = qs.filter(department=department)
    # New ones (the clock runs) before acknowledged ones, each by target.
    return qs.order_by("-status", F("respond_by").asc(nulls_last=True), "pk")


def insight_answer_figures(*, start, end, department=None) -> dict:
    """How fast insights logged in the period were answered: per department and per
    month, answered within the target, answered late (or still unanswered past it), and
    still within the clock; the share is within-target out of those whose clock ended.
    Two grouped queries."""
    now = timezone.now()
    qs = Insight.objects.filter(created_at__date__gte=start, created_at__date__lte=end)
    if department is not None:
        qs = qs.filter(department=department)
    answered = Q(responded_at__isnull=False)
    counts = {
        "logged": Count("pk"),
        "in_time": Count("pk", filter=answered & Q(responded_at__lte=F("respond_by"))),
        "late": Count("pk", filter=(answered & Q(responded_at__gt=F("respond_by")))
                      | Q(responded_at__isnull=True, respond_by__lt=now)),
        "waiting": Count("pk", filter=Q(responded_at__isnull=True, respond_by__gte=now)),
    }

    def with_share(row):
        ended = row["in_time"] + row["late"]
        row["share"] = round(100 * row["in_time"] / ended) if ended else None
        return row

    by_department = [with_share(r) for r in qs.order_by().values("department")
                     .annotate(**counts).order_by("department")]
    by_month = [with_share(r) for r in qs.annotate(month=TruncMonth("created_at"))
                .order_by().values("month").annotate(**counts).order_by("month")]
    total = with_share({key: sum(r[key] for r in by_department) for key in counts})
    return {"total": total, "by_department": by_department, "by_month": by_month}


def meeting_opener(*, department: Department, viewer, insights: int = 6, ideas: int = 6) -> dict:
    today = timezone.localdate()
    open_ideas = (visible_ideas(viewer).filter(department=department)
                  .exclude(stage__kind__in=Stage.CLOSED_KINDS)
                  .select_related("stage").order_by("-support_count", "-submitted_at")[:ideas])
    champions = (Term.objects.filter(_active_q("", today), department=department)
                 .select_related("person"))
    return {
        "department": department,
        "insights": list(insight_feed().filter(department=department)[:insights]),
        "ideas": list(open_ideas),
        "champions": list(champions),
    }



def nominations(*, status: str | None = None) -> QuerySet[Nomination]:
    """The programme admins' list of nominations (of one status, or all by status),
    newest first."""
    qs = (Nomination.objects.select_related("nominee", "nominator", "department", "decided_by")
          .order_by("status", "-created_at", "-pk"))
    return qs.filter(status=status) if status else qs


# --- Pulse surveys ----------------------------------------------------------------------

# An anonymous survey shows a department's results only once this many people there
# answered, so nobody's answer can be picked out.
PULSE_MIN_GROUP = 3


def pulse_open_for(*, user) -> list:
    """Open rounds of surveys meant for the person, each marked `answered`."""
    from .permissions import in_pulse_audience
    from .services import pulse_respondent_key

    now = timezone.now()
    rounds = list(PulseRound.objects.filter(opens_at__lte=now, closes_at__gt=now,
                                            survey__audience="employees")
                  .select_related("survey").prefetch_related("survey__departments")
                  .order_by("closes_at"))
    rounds = [r for r in rounds if in_pulse_audience(user, r.survey)]
    keys = {pulse_respondent_key(r, user): r for r in rounds}
    answered = set(PulseResponse.objects.filter(respondent_key__in=keys)
                   .values_list("respondent_key", flat=True))
    for key, pulse_round in keys.items():
        pulse_round.answered = key in answered
    return rounds


def pulse_rounds() -> QuerySet[PulseRound]:
    """Every round, newest first, with its number of responses (for the results list)."""
    return (PulseRound.objects.select_related("survey")
            .annotate(response_count=Count("responses", distinct=True),
                      link_count=Count("links", distinct=True))
            .order_by("-opens_at", "-pk"))


def _distribution(values: dict[int, int], low: int, high: int) -> list[dict]:
    total = sum(values.values())
    return [{"value": v, "n": values.get(v, 0),
             "share": round(100 * values.get(v, 0) / total) if total else 0}
            for v in range(low, high + 1)]


def _average(row) -> float | None:
    return round(row["average"], 1) if row else None


def pulse_results(*, pulse_round: PulseRound) -> dict:
    """A round's results: per question, the distribution (scales and choices) with the
    average (and NPS: promoters − detractors), the written answers; per department,
    each scale's average where enough people answered; and each scale's average over
    the survey's rounds. A fixed number of queries, whatever the number of answers."""
    survey = pulse_round.survey
    questions = list(survey.questions.all())
    answers = PulseAnswer.objects.filter(response__round=pulse_round)
    counts: dict = {}
    for row in (answers.order_by().values("question", "value", "choice")
                .annotate(n=Count("pk"))):
        counts.setdefault(row["question"], []).append(row)
    by_department: dict = {}
    for row in (answers.filter(value__isnull=False).order_by()
                .values("question", "response__department")
                .annotate(n=Count("pk"), average=Avg("value"))):
        by_department.setdefault(row["response__department"], {})[row["question"]] = row
    respondents = dict(PulseResponse.objects.filter(round=pulse_round).order_by()
                       .values("department").annotate(n=Count("pk"))
                       .values_list("department", "n"))
    texts = {}
    for answer in (answers.exclude(text="").select_related("insight", "response__respondent")
                   .order_by("-response__created_at", "-pk")[:500]):
        texts.setdefault(answer.question_id, []).append(answer)
    trend: dict = {}
    for row in (PulseAnswer.objects.filter(response__round__survey=survey,
                                           value__isnull=False)
                .order_by().values("question", "response__round__number")
                .annotate(average=Avg("value"), n=Count("pk"))
                .order_by("response__round__number")):
        trend.setdefault(row["question"], []).append(row)
    rows = []
    for question in questions:
        found = counts.get(question.pk, [])
        row = {"question": question, "n": sum(r["n"] for r in found),
               "texts": texts.get(question.pk, []), "distribution": None, "choices": None,
               "average": None, "nps": None, "trend": []}
        if question.scale:
            values = {r["value"]: r["n"] for r in found if r["value"] is not None}
            row["distribution"] = _distribution(values, *question.scale)
            row["average"] = (round(sum(v * n for v, n in values.items()) / row["n"], 1)
                              if row["n"] else None)
            if question.kind == question.Kind.NPS and row["n"]:
                promoters = sum(n for v, n in values.items() if v >= 9)
                detractors = sum(n for v, n in values.items() if v <= 6)
                row["nps"] = round(100 * (promoters - detractors) / row["n"])
            row["trend"] = [{"round": r["response__round__number"],
                             "average": round(r["average"], 1), "n": r["n"]}
                            for r in trend.get(question.pk, [])]
        elif question.kind == question.Kind.CHOICE:
            chosen = {r["choice"]: r["n"] for r in found}
            row["choices"] = [{"choice": c, "n": chosen.get(c, 0),
                               "share": round(100 * chosen.get(c, 0) / row["n"])
                               if row["n"] else 0} for c in question.choice_list]
        rows.append(row)
    departments = Department.objects.in_bulk([d for d in respondents if d])
    per_department = []
    for department_id, n in sorted(respondents.items(), key=lambda item: -item[1]):
        hidden = survey.anonymous and n < PULSE_MIN_GROUP
        per_department.append({
            "department": departments.get(department_id), "n": n, "hidden": hidden,
            "cells": [{"question": q, "average": _average(
                by_department.get(department_id, {}).get(q.pk))}
                for q in questions if q.scale]})
    return {"round": pulse_round, "survey": survey, "questions": questions, "rows": rows,
            "responses": sum(respondents.values()), "per_department": per_department,
            "min_group": PULSE_MIN_GROUP}


# --- The customer library ---------------------------------------------------------------

def customer_library() -> QuerySet:
    """Every customer (segment / persona) with how many journey maps, ideas and insights
    are about them: the library's index. One query."""
    from people.models import CustomerSegment

    return CustomerSegment.objects.annotate(
        map_count=Count("journey_maps", distinct=True),
        insight_count=Count("insights", distinct=True)).order_by("name")


def customer_page(*, segment, viewer, limit: int = 10) -> dict:
    """A persona's page: who they are, their journey maps, the latest ideas the viewer
    may see and insights about them, and the campaigns asking about them."""
    from ideas.models import CampaignPage

    ideas = visible_ideas(viewer).filter(customer_segment=segment)
    return {
        "segment": segment,
        "quotes": [q.strip() for q in segment.quotes.splitlines() if q.strip()],
        "journey_maps": list(segment.journey_maps.all()),
        "ideas": list(ideas.select_related("stage").order_by("-submitted_at", "-pk")[:limit]),
        "idea_count": ideas.count(),
        "insights": list(insight_feed().filter(customer_segment=segment)[:limit]),
        "campaigns": list(CampaignPage.objects.live().filter(customer_segments=segment)
                          .order_by("-closes_on")[:limit]),
    }
