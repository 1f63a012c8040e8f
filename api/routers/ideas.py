"""The ideas and review endpoints. Thin, like ideas/views.py: each asks the selector,
form and service the matching page uses, so the API shows and refuses exactly what the
intranet shows and refuses to the same person (someone's draft or a confidential idea
they may not see is a 404, as on the page)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, QueryDict
from django.urls import reverse
from ninja import Path, Query, Router, Status
from ninja.errors import HttpError

from api.paging import DEFAULT_LIMIT, MAX_LIMIT, cursor_page
from api.schemas_ideas import (
    AssignIn,
    AssignOut,
    CommentIn,
    CommentOut,
    CommentPage,
    FollowOut,
    IdeaDetail,
    IdeaIn,
    IdeaPage,
    QueuePage,
    SupportOut,
    TransitionIn,
    TransitionOut,
)
from ideas import permissions, selectors, services
from ideas.filters import IdeaFilterSet, QueueFilterSet
from ideas.forms import AssignForm, IdeaForm, TransitionForm
from ideas.models import Idea, Stage
from shared.parsing import MAX_ID

router = Router(tags=["ideas"])

LIMIT = Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Rows per page.")
AFTER = Query(None, description="The `next` cursor of the previous page.")
IDEA_ID = Path(..., ge=1, le=MAX_ID)


def _filter_param(description: str):
    # Parsed by the intranet's own filter form (ideas.filters), so the API's filters are
    # the list page's: an invalid value is a 400 problem naming the field.
    return Query(None, description=description)


def _visible(request, idea_id: int) -> Idea:
    idea = selectors.idea_detail(user=request.user, pk=idea_id)
    if idea is None:
        raise Http404
    return idea


def _filtered(filterset_class, request, queryset):
    filterset = filterset_class(request.GET, queryset=queryset, request=request)
    if not filterset.is_valid():
        errors = [{"field": field, "message": message}
                  for field, messages in filterset.form.errors.items() for message in messages]
        raise FilterError(errors)
    return filterset


class FilterError(Exception):
    def __init__(self, errors):
        self.errors = errors
        super().__init__("Invalid filter")


def _form_errors(form) -> ValidationError:
    return ValidationError({field: list(messages) for field, messages in form.errors.items()})


# --- shapes -----------------------------------------------------------------------------

def _ref(obj) -> dict | None:
    return {"id": obj.pk, "name": obj.name} if obj else None


def _stage(stage) -> dict | None:
    return {"id": stage.pk, "name": stage.name, "kind": stage.kind} if stage else None


def _person(person) -> dict | None:
    return ({"id": person.pk, "name": person.name, "job_title": person.job_title}
            if person else None)


def _row(idea) -> dict:
    return {"id": idea.pk, "title": idea.title, "status": idea.status,
            "stage": _stage(idea.stage), "department": _ref(idea.department),
            "customer_segment": _ref(idea.customer_segment),
            "confidential": idea.confidential, "support_count": idea.support_count,
            "comment_count": idea.comment_count, "submitted_at": idea.submitted_at,
            "decided_at": idea.decided_at, "tags": getattr(idea, "tag_list", []),
            "url": idea.get_absolute_url()}


def _detail(idea) -> dict:
    return {**_row(idea), "problem": idea.problem, "delight": idea.delight,
            "customer_detail": idea.customer_detail, "metric": idea.metric,
            "whys": list(idea.whys or []), "journey_stage": _ref(idea.journey_stage),
            "channel": _ref(idea.channel), "submitter": _person(idea.submitter),
            "assignee": _person(idea.assignee), "sponsor": _person(idea.sponsor),
            "duplicate_of_id": idea.duplicate_of_id, "created_at": idea.created_at,
            "viewer_supports": bool(getattr(idea, "viewer_supports", False)),
            "viewer_follows": bool(getattr(idea, "viewer_follows", False)),
            "comments": reverse("api-v1:idea_comments", args=[idea.pk]),
            **_credits(idea)}


def _credits(idea) -> dict:
    """Co-authors credited beside the submitter, and the measured impact (two queries)."""
    from ideas.models import Contributor, ImpactMeasurement

    coauthors = [c.person for c in Contributor.objects.filter(
        idea=idea, status=Contributor.Status.ACCEPTED).select_related("person")
        .order_by("invited_at", "pk")]
    impact = ImpactMeasurement.objects.filter(idea=idea).first()
    return {"coauthors": [_person(p) for p in coauthors],
            "impact": None if impact is None else {
                "metric": impact.metric, "unit": impact.unit, "baseline": impact.baseline,
                "target": impact.target, "measured": impact.measured,
                "measured_on": impact.measured_on, "improved": impact.improved}}


def _comment(comment) -> dict:
    hidden = comment.hidden_at is not None
    return {"id": comment.pk, "author": _person(comment.author),
            "body": "" if hidden else comment.body, "hidden": hidden,
            "created_at": comment.created_at, "edited_at": comment.edited_at}


def _page(request, queryset, limit, shape, prepare=None, count_key=None) -> dict:
    page = cursor_page(request, queryset, limit=limit, count_key=count_key)
    rows = list(page["items"])
    if prepare:
        rows = prepare(rows)
    return {**page, "items": [shape(row) for row in rows]}


# --- ideas ------------------------------------------------------------------------------

@router.get("/ideas", response=IdeaPage, url_name="idea_list",
            summary="Ideas, with the idea list's filters and search")
def idea_list(request, q: str = _filter_param("Search text."),
              stage: str = _filter_param("A stage id."),
              department: str = _filter_param("A department id."),
              metric: str = _filter_param("A customer metric."),
              segment: str = _filter_param("A customer segment id."),
              journey_stage: str = _filter_param("A journey stage id."),
              tag: str = _filter_param("A tag's slug."),
              submitted_after: str = _filter_param("A date, YYYY-MM-DD."),
              submitted_before: str = _filter_param("A date, YYYY-MM-DD."),
              sponsor: str = _filter_param("An owner/sponsor's id."),
              sort: str = _filter_param("newest (default), supported or decided."),
              limit: int = LIMIT, after: str = AFTER):
    filterset = _filtered(IdeaFilterSet, request, selectors.idea_list(user=request.user))
    data = filterset.form.cleaned_data
    # As the list page (ideas.views.idea_list): a text search's count is kept a minute,
    # per person and per parsed filter value.
    count_key = ("ideas", request.user.pk, sorted(
        (name, str(getattr(value, "pk", value))) for name, value in data.items())) \
        if data.get("q") else None
    return _page(request, filterset.qs, limit, _row, prepare=selectors.with_tags,
                 count_key=count_key)


def _save_draft(request, payload: IdeaIn, idea: Idea | None) -> Idea:
    data = QueryDict(mutable=True)
    for name in ("title", "problem", "delight", "customer_detail", "metric"):
        data[name] = getattr(payload, name)
    for name in ("customer_segment", "journey_stage", "channel", "department"):
        value = getattr(payload, name)
        data[name] = "" if value is None else str(value)
    if payload.confidential:
        data["confidential"] = "on"
    data["tags"] = ", ".join(t.replace(",", " ") for t in payload.tags)
    for field, why in zip(IdeaForm.WHY_FIELDS, payload.whys, strict=False):
        data[field] = why
    form = IdeaForm(data, instance=idea)
    if not form.is_valid():
        raise _form_errors(form)
    return services.idea_save_draft(actor=request.user, idea=idea, tags=form.tag_list(),
                                    **form.idea_fields())


@router.post("/ideas", response={201: IdeaDetail}, url_name="idea_create",
             summary="Create a draft idea")
def idea_create(request, payload: IdeaIn):
    idea = _save_draft(request, payload, None)
    return Status(201, _detail(_visible(request, idea.pk)))


@router.get("/ideas/{idea_id}", response=IdeaDetail, url_name="idea_detail",
            summary="An idea, as its page shows it")
def idea_detail(request, idea_id: int = IDEA_ID):
    return _detail(_visible(request, idea_id))


@router.put("/ideas/{idea_id}", response=IdeaDetail, url_name="idea_update",
            summary="Change your own draft (all its fields)")
def idea_update(request, payload: IdeaIn, idea_id: int = IDEA_ID):
    idea = _visible(request, idea_id)
    if not permissions.can_edit(request.user, idea):
        raise HttpError(409, "Only a draft can be changed, by its submitter.")
    _save_draft(request, payload, idea)
    return _detail(_visible(request, idea_id))


@router.post("/ideas/{idea_id}/submit", response=IdeaDetail, url_name="idea_submit",
             summary="Submit your draft")
def idea_submit(request, idea_id: int = IDEA_ID):
    idea = _visible(request, idea_id)
    if not permissions.can_edit(request.user, idea):
        raise HttpError(409, "Only a draft can be submitted, by its submitter.")
    services.idea_submit(idea=idea, actor=request.user)
    return _detail(_visible(request, idea_id))


def _support_state(request, idea_id: int) -> dict:
    idea = _visible(request, idea_id)
    return {"supported": bool(idea.viewer_supports), "support_count": idea.support_count}


@router.post("/ideas/{idea_id}/support", response=SupportOut, url_name="idea_support",
             summary="Support an idea")
def idea_support(request, idea_id: int = IDEA_ID):
    services.support_add(idea=_visible(request, idea_id), actor=request.user)
    return _support_state(request, idea_id)


@router.delete("/ideas/{idea_id}/support", response=SupportOut, url_name="idea_unsupport",
               summary="Withdraw your support")
def idea_unsupport(request, idea_id: int = IDEA_ID):
    services.support_remove(idea=_visible(request, idea_id), actor=request.user)
    return _support_state(request, idea_id)


@router.post("/ideas/{idea_id}/follow", response=FollowOut, url_name="idea_follow",
             summary="Follow an idea (be told when it moves or is commented on)")
def idea_follow(request, idea_id: int = IDEA_ID):
    services.follow_set(idea=_visible(request, idea_id), actor=request.user, follow=True)
    return {"following": True}


@router.delete("/ideas/{idea_id}/follow", response=FollowOut, url_name="idea_unfollow",
               summary="Stop following an idea")
def idea_unfollow(request, idea_id: int = IDEA_ID):
    services.follow_set(idea=_visible(request, idea_id), actor=request.user, follow=False)
    return {"following": False}


@router.get("/ideas/{idea_id}/comments", response=CommentPage, url_name="idea_comments",
            summary="An idea's comments, oldest first")
def idea_comments(request, idea_id: int = IDEA_ID, limit: int = LIMIT, after: str = AFTER):
    idea = _visible(request, idea_id)
    return _page(request, selectors.idea_comments(idea=idea), limit, _comment)


@router.post("/ideas/{idea_id}/comments", response={201: CommentOut},
             url_name="idea_comment_add", summary="Comment on an idea")
def idea_comment_add(request, payload: CommentIn, idea_id: int = IDEA_ID):
    idea = _visible(request, idea_id)
    comment = services.comment_add(idea=idea, actor=request.user, body=payload.body)
    return Status(201, _comment(comment))


# --- review -----------------------------------------------------------------------------

def _queue_row(idea) -> dict:
    return {**_row(idea), "assignee": _person(idea.assignee),
            "stage_entered_at": idea.stage_entered_at}


@router.get("/review/queue", response=QueuePage, url_name="review_queue",
            summary="The review queue (reviewers)", tags=["review"])
def review_queue(request, q: str = _filter_param("Search text."),
                 stage: str = _filter_param("A stage id."),
                 department: str = _filter_param("A department id."),
                 metric: str = _filter_param("A customer metric."),
                 segment: str = _filter_param("A customer segment id."),
                 journey_stage: str = _filter_param("A journey stage id."),
                 tag: str = _filter_param("A tag's slug."),
                 submitted_after: str = _filter_param("A date, YYYY-MM-DD."),
                 submitted_before: str = _filter_param("A date, YYYY-MM-DD."),
                 sponsor: str = _filter_param("An owner/sponsor's id."),
                 assignee: str = _filter_param("me, none or a reviewer's id."),
                 overdue: str = _filter_param("true: only ideas past their stage's target."),
                 sort: str = _filter_param("oldest (default), priority, newest, supported."),
                 limit: int = LIMIT, after: str = AFTER):
    if not permissions.can_review(request.user):
        raise PermissionDenied("Only reviewers have a review queue.")
    # A row here also names the customer segment (the queue page does not show it).
    queue = selectors.review_queue(user=request.user).select_related("customer_segment")
    filterset = _filtered(QueueFilterSet, request, queue)
    return _page(request, filterset.qs, limit, _queue_row, prepare=selectors.with_tags)


@router.post("/ideas/{idea_id}/transition", response=TransitionOut,
             url_name="idea_transition", summary="Move an idea to another stage (decide)",
             tags=["review"])
def idea_transition(request, payload: TransitionIn, idea_id: int = IDEA_ID):
    idea = _visible(request, idea_id)
    if not permissions.can_decide(request.user, idea):
        raise PermissionDenied("You cannot decide on this idea.")
    form = TransitionForm({
        "to_stage": str(payload.to_stage), "reason": payload.reason,
        "duplicate_of": "" if payload.duplicate_of is None else str(payload.duplicate_of),
        # Without one, the caller means the stage the idea is in now.
        "expected_stage": str(payload.expected_stage or idea.stage_id)}, idea=idea)
    if not form.is_valid():
        raise _form_errors(form)
    original = None
    if form.cleaned_data["duplicate_of"]:
        original = selectors.idea_detail(user=request.user, pk=form.cleaned_data["duplicate_of"])
        if original is None:
            raise ValidationError({"duplicate_of": ["There is no idea with that number."]})
    to_stage: Stage = form.cleaned_data["to_stage"]
    try:
        with transaction.atomic():
            # The answers and the move are one decision: a refused move keeps neither.
            if payload.customer_named is not None or payload.delight_explained is not None:
                given = {"customer_named": payload.customer_named,
                         "delight_explained": payload.delight_explained}
                services.idea_answer_questions(idea=idea, actor=request.user, **{
                    name: getattr(idea, name) if value is None else value
                    for name, value in given.items()})
            transition = services.idea_transition(
                idea=idea, to_stage=to_stage, actor=request.user,
                reason=form.cleaned_data["reason"],
                expected_stage=form.cleaned_data["expected_stage"], duplicate_of=original)
    except services.StaleTransition as exc:
        raise HttpError(409, " ".join(exc.messages)) from exc
    except ValidationError as exc:
        # A move the pipeline does not allow from here conflicts with the idea's state;
        # anything else (a missing reason...) is invalid input.
        if not idea.stage.allowed_next.filter(pk=to_stage.pk).exists():
            raise HttpError(409, " ".join(exc.messages)) from exc
        raise
    return {"id": transition.pk, "from_stage": _stage(transition.from_stage),
            "to_stage": _stage(transition.to_stage), "reason": transition.reason,
            "created_at": transition.created_at}


@router.post("/ideas/{idea_id}/assign", response=AssignOut, url_name="idea_assign",
             summary="Assign an idea to a reviewer (or nobody)", tags=["review"])
def idea_assign(request, payload: AssignIn, idea_id: int = IDEA_ID):
    idea = _visible(request, idea_id)
    form = AssignForm({"assignee": "" if payload.assignee is None else str(payload.assignee)})
    if not form.is_valid():
        raise _form_errors(form)
    changed = services.idea_assign(ideas=[idea], assignee=form.cleaned_data["assignee"],
                                   actor=request.user)
    return {"assignee": _person(form.cleaned_data["assignee"]), "changed": bool(changed)}
