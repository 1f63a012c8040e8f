"""The programme endpoints: the champions roster, coverage and profiles, customer
insights, the caller's onboarding and the newsletter archive.

Thin, like the views: each endpoint asks the selector (and, for writes, the form and
service) the matching intranet page uses, so the API shows exactly what the page shows
to the same person, and refuses what the page refuses."""

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Path, Query, Router, Status

from api.paging import DEFAULT_LIMIT, MAX_LIMIT, cursor_page
from api.schemas_programme import (
    ChampionProfile,
    Coverage,
    InsightIn,
    InsightOut,
    InsightPage,
    NewsletterPage,
    Onboarding,
    RosterPage,
    RosterStatus,
    Sentiment,
)
from champions import selectors as champion_selectors
from champions import services as champion_services
from champions.forms import InsightFilterSet, InsightForm, RosterFilterForm
from ideas.selectors import idea_detail
from newsletter import selectors as newsletter_selectors
from people.models import User
from shared.parsing import MAX_ID
from training import selectors as training_selectors

router = Router(tags=["programme"])

LIMIT = Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Rows per page.")
AFTER = Query(None, description="The `next` cursor of the previous page.")


def _id_query(description: str):
    # Ids are 64-bit: a larger number is refused here, before it overflows the database.
    return Query(None, ge=1, le=MAX_ID, description=description)


def _invalid(errors) -> ValidationError:
    """A form's errors as one ValidationError (the framework answers 422 with them)."""
    return ValidationError({field: list(messages) for field, messages in errors.items()})


def _url(page, request) -> str | None:
    return page.get_full_url(request) if page is not None else None


# --- shapes -----------------------------------------------------------------------------

def _department(department) -> dict | None:
    return {"id": department.pk, "name": department.name} if department else None


def _named(obj) -> dict | None:
    return {"id": obj.pk, "name": obj.name} if obj else None


def _person(person) -> dict:
    return {"id": person.pk, "name": person.name, "job_title": person.job_title}


def _roster_term(term) -> dict:
    return {"id": term.pk, "person": _person(term.person), "starts_on": term.starts_on,
            "ends_on": term.ends_on, "ended_on": term.ended_on, "last_day": term.last_day,
            "is_active": term.is_active, "is_upcoming": term.is_upcoming,
            "served_days": term.served_days}


def _insight(insight) -> dict:
    return {"id": insight.pk, "text": insight.text, "sentiment": insight.sentiment,
            "created_at": insight.created_at, "author": _person(insight.author),
            "department": _department(insight.department),
            "customer_segment": _named(insight.customer_segment),
            "channel": _named(insight.channel), "idea_id": insight.idea_id,
            # The feed prefetches the tags: .all() reads the prefetched rows.
            "tags": [tag.name for tag in insight.tags.all()]}


def _issue(issue, request) -> dict:
    return {"id": issue.pk, "title": issue.title, "published_at": issue.first_published_at,
            "url": _url(issue, request)}


# --- champions --------------------------------------------------------------------------

@router.get("/champions/roster", response=RosterPage, url_name="champion_roster",
            summary="The champions roster, by department")
def champion_roster(request, status: RosterStatus = "active",
                    department: int | None = _id_query("A department id."),
                    q: str = Query("", max_length=100), limit: int = LIMIT,
                    after: str | None = AFTER):
    """Departments by name, each with its champions matching the filter. With no name
    search, the active and "all" views list every department, so one without a champion
    shows with an empty list; "upcoming", "past" and a name search list only departments
    with a matching term. An unknown department id is a 422."""
    form = RosterFilterForm({"status": status, "department": department or "", "q": q})
    if not form.is_valid():
        raise _invalid(form.errors)
    data = form.cleaned_data
    departments = champion_selectors.roster_departments(
        status=data["status"] or "active", department=data["department"], query=data["q"])
    page = cursor_page(request, departments, limit=limit)
    page["items"] = [{"department": _department(d),
                      "champions": [_roster_term(t) for t in d.roster_terms]}
                     for d in page["items"]]
    return page


@router.get("/champions/coverage", response=Coverage, url_name="champion_coverage",
            summary="Champion coverage per department")
def champion_coverage(request):
    cover = champion_selectors.coverage()
    return {"total": cover["total"], "covered": cover["covered"],
            "percentage": cover["percentage"],
            "departments": [{"id": d.pk, "name": d.name, "parent_id": d.parent_id,
                             "head_count": d.head_count,
                             "active_champions": d.active_champions,
                             "ending_soon": d.ending_soon, "per_hundred": d.per_hundred,
                             "status": d.status} for d in cover["departments"]]}


@router.get("/champions/people/{person_id}", response=ChampionProfile,
            url_name="champion_profile", summary="A person's champion profile")
def champion_profile(request, person_id: int = Path(..., ge=1, le=MAX_ID)):
    """Terms, sponsored ideas (those the caller may see), outcomes, latest insights and
    newsletter issues written. Any active colleague has one, champion or not."""
    person = get_object_or_404(User.objects.select_related("department"), pk=person_id,
                               is_active=True)
    profile = champion_selectors.champion_profile(person=person, viewer=request.user)
    return {
        "person": {**_person(person), "department": _department(person.department)},
        "terms": [{"id": t.pk, "department": _department(t.department),
                   "starts_on": t.starts_on, "ends_on": t.ends_on, "ended_on": t.ended_on,
                   "ended_reason": t.ended_reason, "last_day": t.last_day,
                   "is_active": t.is_active, "handover_note": t.handover_note}
                  for t in profile["terms"]],
        "sponsored_ideas": [{"id": i.pk, "title": i.title,
                             "stage": i.stage.name if i.stage else None}
                            for i in profile["sponsored"]],
        "outcomes": profile["outcomes"],
        "insights": [_insight(i) for i in profile["insights"]],
        "newsletter_issues": [_issue(i, request)
                              for i in profile.get("newsletter_issues", [])],
    }


# --- insights ---------------------------------------------------------------------------

@router.get("/insights", response=InsightPage, url_name="insight_list",
            summary="Customer insights, newest first")
def insight_list(request, q: str = Query("", max_length=200),
                 department: int | None = _id_query("A department id."),
                 segment: int | None = _id_query("A customer segment id."),
                 channel: int | None = _id_query("A channel id."),
                 sentiment: Sentiment | None = None, tag: str = Query("", max_length=100),
                 limit: int = LIMIT, after: str | None = AFTER):
    """The same filters as the insights page; an unknown department, segment or channel
    id is a 422."""
    filters = {name: value for name, value in {
        "q": q, "department": department, "segment": segment, "channel": channel,
        "sentiment": sentiment, "tag": tag}.items() if value not in (None, "")}
    filterset = InsightFilterSet(filters, queryset=champion_selectors.insight_feed())
    if not filterset.is_valid():
        raise _invalid(filterset.errors)
    page = cursor_page(request, filterset.qs, limit=limit)
    page["items"] = [_insight(i) for i in page["items"]]
    return page


@router.post("/insights", response={201: InsightOut}, url_name="insight_create",
             summary="Log a customer insight")
def insight_create(request, payload: InsightIn):
    """Anyone signed in may log an insight, as on the insights page; it is filed under the
    author's department. Needs a token with the write scope."""
    form = InsightForm({"text": payload.text, "sentiment": payload.sentiment,
                        "customer_segment": payload.customer_segment or "",
                        "channel": payload.channel or "", "idea_number": payload.idea or "",
                        "tags": ", ".join(payload.tags)})
    if not form.is_valid():
        raise _invalid(form.errors)
    idea = None
    if form.cleaned_data["idea_number"]:
        # An idea the author may not see is "no such idea", as on the page.
        idea = idea_detail(user=request.user, pk=form.cleaned_data["idea_number"])
        if idea is None:
            raise ValidationError({"idea": ["There is no idea with that number."]})
    insight = champion_services.insight_create(
        author=request.user, idea=idea, tags=form.tag_list(),
        **{f: form.cleaned_data[f] for f in form.Meta.fields})
    # Read back through the feed: the same shape (and prefetches) as the list.
    return Status(201, _insight(champion_selectors.insight_feed().get(pk=insight.pk)))


# --- onboarding -------------------------------------------------------------------------

@router.get("/onboarding/me", response=Onboarding, url_name="my_onboarding",
            summary="The caller's own onboarding progress")
def my_onboarding(request):
    """Every module the caller is enrolled in, with progress and due dates, soonest due
    first. Only ever the caller's own."""
    data = training_selectors.my_onboarding(user=request.user)
    next_due = data["next_due"]
    return {
        "overall": data["overall"],
        "next_due": next_due["enrolment"].pk if next_due else None,
        "enrolments": [{
            "id": row["enrolment"].pk,
            "module": {"id": row["module"].pk, "title": row["module"].title,
                       "url": _url(row["module"], request),
                       "estimated_minutes": row["module"].estimated_minutes},
            "path": _named(row["enrolment"].path), "status": row["enrolment"].status,
            "due_on": row["enrolment"].due_on, "overdue": bool(row["overdue"]),
            "completed_at": row["enrolment"].completed_at,
            "best_score": row["enrolment"].best_score, "steps": row["steps"],
            "steps_done": row["steps_done"], "percent": row["percent"],
            "quiz_passed": row["quiz_passed"], "resume_url": _url(row["resume"], request),
        } for row in data["rows"]],
        "paths": [{"id": p.pk, "name": p.name, "certificate_url": request.build_absolute_uri(
            reverse("training:certificate", args=[p.pk]))} for p in data["paths"]],
    }


# --- newsletter -------------------------------------------------------------------------

@router.get("/newsletter/issues", response=NewsletterPage, url_name="newsletter_issues",
            summary="The newsletter archive: published issues, newest first")
def newsletter_issues(request, q: str = Query("", max_length=200), limit: int = LIMIT,
                      after: str | None = AFTER):
    issues = newsletter_selectors.archive_issues(query=q, request=request)
    page = cursor_page(request, issues, limit=limit)
    page["items"] = [{**_issue(issue, request), "summary": issue.intro}
                     for issue in page["items"]]
    return page
