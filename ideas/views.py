import hashlib
import io
from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.http import FileResponse, Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST
from PIL import Image, ImageOps

from shared.fragments import render_rows
from shared.l10n import format_number
from shared.paging import capped_count, keyset_page
from shared.parsing import DateRangeForm, parse_id
from shared.spreadsheets import csv_response

from . import permissions, selectors, semantic, services
from .filters import IdeaFilterSet, QueueFilterSet
from .forms import (
    AssignForm,
    BulkDecideForm,
    CampaignParameterForm,
    CoauthorAnswerForm,
    CoauthorInviteForm,
    HideForm,
    IdeaForm,
    ImpactForm,
    ReviewForm,
    ScoreForm,
    SponsorForm,
    TextForm,
    ThankYouForm,
    TransitionForm,
)
from .models import TWO_QUESTIONS, Attachment, Comment, Contributor, Idea, ImpactMeasurement

PAGE_SIZE = 25
COMMENTS_PAGE = 30


def _get_visible(request, pk) -> Idea:
    idea = selectors.idea_detail(user=request.user, pk=pk)
    if idea is None:
        raise Http404(_("No such idea."))
    return idea


def _errors(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


@require_GET
def idea_list(request):
    filterset = IdeaFilterSet(request.GET, queryset=selectors.idea_list(user=request.user),
                              request=request)
    if not filterset.is_valid():
        return render(request, "ideas/idea_list.html",
                      {"filter": filterset, "page": None}, status=400)
    data = filterset.form.cleaned_data
    # A text search's count is kept a minute (shared.paging): per person, as their own
    # confidential ideas count for them, and per filter value as parsed (ids, dates).
    count_key = ("ideas", request.user.pk, sorted(
        (name, str(getattr(value, "pk", value))) for name, value in data.items())) \
        if data.get("q") else None
    page = keyset_page(request, filterset.qs, PAGE_SIZE, count_key=count_key)
    # A card shows nothing personal: kept rendered until the idea changes (the services
    # save it, or update its support count in place). With a search, it marks the words
    # found and quotes the problem text around them, so the words are in its key too.
    marks = filterset.marks

    def prepare(ideas):
        return selectors.with_excerpts(selectors.with_cards(ideas), marks)

    rows = render_rows("ideas/includes/idea_row.html", page, name="idea",
                       key=lambda idea: (idea.pk, idea.updated_at, idea.support_count, marks),
                       context={"list_url": reverse("ideas:list"), "marks": marks},
                       prepare=prepare)
    # A correction is shown when it found something (then it names only visible words).
    corrected = filterset.corrections.query if len(page) else ""
    return render(request, "ideas/idea_list.html",
                  {"filter": filterset, "page": page, "rows": rows,
                   "corrected_query": corrected})


@require_GET
def idea_export(request):
    filterset = IdeaFilterSet(request.GET, queryset=selectors.idea_list(user=request.user),
                              request=request)
    if not filterset.is_valid():
        return HttpResponseBadRequest(_("Invalid filters."))
    ideas = filterset.qs.select_related("sponsor").prefetch_related("tags")
    return csv_response("ideas.csv", [
        "id", "title", "stage", "department", "customer", "metric", "supports", "submitted",
        "decided", "owner", "tags", "url"], ([
            idea.pk, idea.title, idea.stage, idea.department, idea.customer_segment,
            idea.get_metric_display(), idea.support_count,
            idea.submitted_at.date() if idea.submitted_at else "",
            idea.decided_at.date() if idea.decided_at else "", idea.sponsor,
            ", ".join(t.name for t in idea.tags.all()),
            request.build_absolute_uri(idea.get_absolute_url()),
        ] for idea in ideas.iterator(chunk_size=500)))


def idea_create(request):
    return _idea_form(request, None)


def idea_edit(request, pk):
    idea = _get_visible(request, pk)
    if not permissions.can_edit(request.user, idea):
        raise PermissionDenied
    return _idea_form(request, idea)


def _idea_form(request, idea, *, initial=None, on_saved=None, source=None):
    campaigns = selectors.open_campaigns_for(user=request.user)
    initial = dict(initial or {})
    if idea is None and request.method == "GET":
        chosen = CampaignParameterForm(request.GET)
        if chosen.is_valid() and chosen.cleaned_data["campaign"] in campaigns:
            initial["campaign"] = chosen.cleaned_data["campaign"].pk
    form = IdeaForm(request.POST or None, request.FILES or None, instance=idea,
                    campaigns=campaigns, initial=initial)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["form_token"] if idea is None else None
        if earlier := services.idea_for_submission(actor=request.user, token=token):
            return _already_received(request, earlier)
        try:
            with transaction.atomic():
                saved = services.idea_save_draft(
                    actor=request.user, idea=idea, tags=form.tag_list(),
                    attachments=form.cleaned_data["attachments"], submission_token=token,
                    **form.idea_fields())
                if on_saved is not None:
                    on_saved(saved)  # in the same transaction: both happen or neither
                if "submit" in request.POST:
                    services.idea_submit(idea=saved, actor=request.user)
        except IntegrityError:
            # The same form posted twice at once: the other request created the idea.
            if earlier := services.idea_for_submission(actor=request.user, token=token):
                return _already_received(request, earlier)
            raise
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            if "submit" in request.POST:
                messages.success(request, _("Your idea was submitted. You will hear back "
                                            "about every decision."))
            else:
                messages.success(request, _("Draft saved. Submit it when it is ready."))
            return redirect(saved)
    if idea is None and form.is_bound:
        form.instance.pk = None  # the failed save must not look like an edit
    return render(request, "ideas/idea_form.html",
                  {"form": form, "idea": idea, "campaigns": campaigns, "source": source},
                  status=400 if form.errors else 200)


def idea_form_from(request, *, initial: dict, on_saved, source: str):
    """The idea form prefilled from something else (a customer insight): the apps above
    this one turn their records into ideas through it; `on_saved(idea)` runs in the
    idea's transaction, `source` says on the form where the text came from."""
    return _idea_form(request, None, initial=initial, on_saved=on_saved, source=source)


def _already_received(request, idea):
    messages.info(request, _("We already have this idea (the form was sent twice); "
                             "here it is."))
    return redirect(idea)


@require_POST
def idea_submit(request, pk):
    idea = _get_visible(request, pk)
    try:
        services.idea_submit(idea=idea, actor=request.user)
        messages.success(request, _("Your idea was submitted."))
    except ValidationError as exc:
        _errors(request, exc)
    return redirect(idea)


@require_GET
def idea_similar(request):
    text = " ".join([request.GET.get("title", ""), request.GET.get("problem", "")])[:400]
    # Lexical, combined with the semantic backend when it is on (SEARCH_EMBEDDINGS).
    ideas = semantic.similar_ideas(user=request.user, text=text,
                                   exclude_pk=parse_id(request.GET.get("exclude")))
    return render(request, "ideas/includes/similar.html", {"similar": ideas})


def idea_detail(request, pk):
    idea = _get_visible(request, pk)
    return render(request, "ideas/idea_detail.html", _detail_context(request, idea))


def _detail_context(request, idea, *, review_form=None) -> dict:
    user = request.user
    # Reviewer panels (notes, scores, hidden comments, moderation) never show on the
    # reviewer's own idea: there they are its submitter.
    reviewer = permissions.can_review_idea(user, idea)
    context = {
        "idea": idea,
        "history": selectors.idea_history(idea=idea),
        # The conversation in pages: an idea with 500 comments costs what one page does.
        "comments": keyset_page(request, selectors.idea_comments(idea=idea), COMMENTS_PAGE,
                                count=False, prefix="comments-"),
        "waiting": selectors.waiting(idea),
        "supported": idea.viewer_supports,
        "following": idea.viewer_follows,
        "can_edit": permissions.can_edit(user, idea),
        "can_withdraw": permissions.can_withdraw(user, idea),
        "can_support": permissions.can_support(user, idea),
        "can_decide": permissions.can_decide(user, idea),
        "is_reviewer": reviewer,
        "comment_form": TextForm(),
    }
    context.update(selectors.idea_recognition(idea=idea, user=user))
    if permissions.can_invite_coauthors(user, idea):
        context["coauthor_form"] = CoauthorInviteForm()
    if permissions.can_thank(user, idea):
        context["thank_form"] = ThankYouForm()
    if permissions.impact_recordable(idea):
        # Before → after for an implemented idea, and the form for its owner.
        context["impact"] = ImpactMeasurement.objects.filter(idea=idea).first()
        if permissions.can_record_impact(user, idea):
            context["impact_form"] = ImpactForm(idea=idea, instance=context["impact"])
    if reviewer or idea.submitter_id == user.pk:
        # Amazon's two questions as reviewers answered them: the submitter sees which
        # is missing.
        context["two_questions"] = [(label, getattr(idea, field))
                                    for field, label in TWO_QUESTIONS]
    if reviewer:
        context["notes"] = idea.internal_notes.select_related("author")
        if idea.status == Idea.Status.SUBMITTED and not idea.stage.is_decided:
            # The reviewer's "possible duplicates": what a submitter would have been
            # shown, found again now that more ideas exist.
            context["possible_duplicates"] = semantic.similar_ideas(
                user=user, text=f"{idea.title} {idea.problem}"[:400], exclude_pk=idea.pk)
        context["scores"] = idea.scores.select_related("reviewer")
    if context["can_decide"]:
        context["review_form"] = review_form or ReviewForm(idea=idea, reviewer=user)
        context["next_idea"] = selectors.next_in_queue(user=user, idea=idea)
        context["previous_idea"] = selectors.previous_in_queue(user=user, idea=idea)
    return context


def _tell_what_was_saved(request, idea, done, arguments) -> None:
    if not done:
        messages.info(request, _("Nothing was changed."))
    if "stage" in done:
        messages.success(request, _("Moved to %(stage)s. The submitter and followers are "
                                    "told.") % {"stage": arguments["to_stage"].label})
    if "scores" in done:
        messages.success(request, _("Your scores were saved."))
    if "assignee" in done:
        assignee = arguments["assignee"]
        messages.success(request, _("Assigned to %(name)s.") % {"name": assignee.name}
                         if assignee else _("Nobody is assigned now."))
    if "sponsor" in done:
        messages.success(request, _("The owner was saved."))
    if "note" in done:
        messages.success(request, _("Your note was added."))


@require_POST
def idea_review(request, pk):
    """The decision panel: everything a reviewer does to an idea, in one form, saved
    together; then back to the idea or on to the next one in the queue."""
    idea = _get_visible(request, pk)
    if not permissions.can_decide(request.user, idea):
        raise PermissionDenied
    form = ReviewForm(request.POST, idea=idea, reviewer=request.user)
    next_idea = selectors.next_in_queue(user=request.user, idea=idea)
    if form.is_valid():
        arguments = form.review_arguments()
        original = None
        if form.cleaned_data["duplicate_of"]:
            original = selectors.idea_detail(user=request.user,
                                             pk=form.cleaned_data["duplicate_of"])
            if original is None:
                form.add_error("duplicate_of", _("There is no idea with that number."))
        if not form.errors:
            try:
                done = services.idea_review(idea=idea, actor=request.user,
                                            duplicate_of=original, **arguments)
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error(None, message)
            else:
                _tell_what_was_saved(request, idea, done, arguments)
                if request.POST.get("then") == "next" and next_idea is not None:
                    return redirect(next_idea)
                return redirect(idea)
    # Refused: the panel again with what was typed and why, and nothing saved.
    idea = _get_visible(request, pk)
    return render(request, "ideas/idea_detail.html",
                  _detail_context(request, idea, review_form=form), status=400)


@require_POST
def idea_decide(request, pk):
    idea = _get_visible(request, pk)
    form = TransitionForm(request.POST, idea=idea)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(idea)
    original = None
    if form.cleaned_data["duplicate_of"]:
        original = selectors.idea_detail(user=request.user, pk=form.cleaned_data["duplicate_of"])
        if original is None:
            messages.error(request, _("There is no idea with that number."))
            return redirect(idea)
    try:
        services.idea_transition(
            idea=idea, to_stage=form.cleaned_data["to_stage"], actor=request.user,
            reason=form.cleaned_data["reason"], expected_stage=form.cleaned_data["expected_stage"],
            duplicate_of=original)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("Moved to %(stage)s. The submitter and followers are told.")
                         % {"stage": form.cleaned_data["to_stage"].label})
    return redirect(idea)


@require_POST
def idea_withdraw(request, pk):
    idea = _get_visible(request, pk)
    services.idea_withdraw(idea=idea, actor=request.user)
    messages.success(request, _("Your idea was withdrawn."))
    return redirect("ideas:mine")


@require_POST
def idea_support(request, pk):
    idea = _get_visible(request, pk)
    try:
        if request.POST.get("action") == "remove":
            services.support_remove(idea=idea, actor=request.user)
            messages.success(request, _("Your support was withdrawn."))
        else:
            services.support_add(idea=idea, actor=request.user)
            messages.success(request, _("Thank you for supporting this idea."))
    except ValidationError as exc:
        _errors(request, exc)
    return redirect(idea)


@require_POST
def idea_follow(request, pk):
    idea = _get_visible(request, pk)
    follow = request.POST.get("action") != "remove"
    services.follow_set(idea=idea, actor=request.user, follow=follow)
    messages.success(request, _("You follow this idea.") if follow
                     else _("You no longer follow this idea."))
    return redirect(idea)


@require_POST
def comment_add(request, pk):
    idea = _get_visible(request, pk)
    form = TextForm(request.POST)
    if form.is_valid():
        try:
            services.comment_add(idea=idea, actor=request.user, body=form.cleaned_data["body"])
        except ValidationError as exc:
            _errors(request, exc)
    else:
        messages.error(request, _("The comment was empty or too long (at most 5000 "
                                  "characters)."))
    return redirect(idea.get_absolute_url() + "#comments")


def _get_comment(request, pk) -> Comment:
    comment = get_object_or_404(Comment.objects.select_related("idea"), pk=pk)
    if not permissions.can_view(request.user, comment.idea):
        raise Http404
    return comment


def comment_edit(request, pk):
    comment = _get_comment(request, pk)
    if comment.author_id != request.user.pk:
        raise PermissionDenied
    form = TextForm(request.POST or None, initial={"body": comment.body})
    if request.method == "POST" and form.is_valid():
        services.comment_edit(comment=comment, actor=request.user,
                              body=form.cleaned_data["body"])
        return redirect(comment.idea.get_absolute_url() + "#comments")
    return render(request, "ideas/comment_form.html", {"form": form, "comment": comment},
                  status=400 if form.errors else 200)


@require_POST
def comment_delete(request, pk):
    comment = _get_comment(request, pk)
    services.comment_delete(comment=comment, actor=request.user)
    messages.success(request, _("Your comment was deleted."))
    return redirect(comment.idea.get_absolute_url() + "#comments")


@require_POST
def comment_hide(request, pk):
    comment = _get_comment(request, pk)
    if not permissions.can_review_idea(request.user, comment.idea):
        raise PermissionDenied
    form = HideForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a reason (at most 300 characters) to hide a comment."))
    else:
        services.comment_hide(comment=comment, actor=request.user,
                              reason=form.cleaned_data["reason"])
    return redirect(comment.idea.get_absolute_url() + "#comments")


@require_POST
def note_add(request, pk):
    idea = _get_visible(request, pk)
    form = TextForm(request.POST)
    if not permissions.can_review_idea(request.user, idea):
        raise PermissionDenied
    if form.is_valid():
        services.note_add(idea=idea, actor=request.user, body=form.cleaned_data["body"])
    else:
        messages.error(request, _("The note was empty or too long."))
    return redirect(idea.get_absolute_url() + "#notes")


@require_POST
def idea_score(request, pk):
    idea = _get_visible(request, pk)
    form = ScoreForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Scores are whole numbers from 1 to 5."))
    else:
        services.idea_score(idea=idea, reviewer=request.user, **form.cleaned_data)
        messages.success(request, _("Your scores were saved."))
    return redirect(idea)


@require_POST
def idea_assign(request, pk):
    idea = _get_visible(request, pk)
    form = AssignForm(request.POST)
    if form.is_valid():
        try:
            services.idea_assign(ideas=[idea], assignee=form.cleaned_data["assignee"],
                                 actor=request.user)
        except ValidationError as exc:
            _errors(request, exc)
    else:
        messages.error(request, _("Choose a reviewer."))
    return redirect(idea)


@require_POST
def idea_impact(request, pk):
    """Record the measured impact; errors are shown beside the figures on the idea page."""
    idea = _get_visible(request, pk)
    if not permissions.can_record_impact(request.user, idea):
        raise PermissionDenied
    form = ImpactForm(request.POST, idea=idea,
                      instance=ImpactMeasurement.objects.filter(idea=idea).first())
    if form.is_valid():
        try:
            services.impact_record(idea=idea, actor=request.user, **form.figures())
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("The measured impact was saved."))
    else:
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}: {error}" if label else error)
    return redirect(idea)


@require_POST
def idea_sponsor(request, pk):
    idea = _get_visible(request, pk)
    form = SponsorForm(request.POST)
    if form.is_valid():
        try:
            services.idea_set_sponsor(idea=idea, sponsor=form.cleaned_data["sponsor"],
                                      actor=request.user)
            messages.success(request, _("The owner was saved."))
        except ValidationError as exc:
            _errors(request, exc)
    else:
        messages.error(request, _("Choose a person."))
    return redirect(idea)


@require_POST
def coauthor_invite(request, pk):
    idea = _get_visible(request, pk)
    if not permissions.can_invite_coauthors(request.user, idea):
        raise PermissionDenied
    form = CoauthorInviteForm(request.POST)
    if form.is_valid():
        person = form.cleaned_data["person"]
        try:
            services.idea_coauthor_invite(idea=idea, person=person, actor=request.user)
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("%(name)s is invited; they are credited once they "
                                        "accept.") % {"name": person.name})
    else:
        _form_errors(request, form)
    return redirect(idea.get_absolute_url() + "#contributors")


def _get_contribution(request, pk) -> Contributor:
    contribution = get_object_or_404(Contributor.objects.select_related("idea", "person"),
                                     pk=pk)
    if not permissions.can_view(request.user, contribution.idea):
        raise Http404
    return contribution


@require_POST
def coauthor_answer(request, pk):
    contribution = _get_contribution(request, pk)
    if contribution.person_id != request.user.pk:
        raise PermissionDenied
    form = CoauthorAnswerForm(request.POST)
    if form.is_valid():
        accept = form.cleaned_data["answer"] == "accept"
        try:
            services.idea_coauthor_answer(contribution=contribution, actor=request.user,
                                          accept=accept)
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("You are now credited as a co-author.") if accept
                             else _("You declined; you will not be asked again for this "
                                    "idea."))
    else:
        _form_errors(request, form)
    return redirect(contribution.idea.get_absolute_url() + "#contributors")


@require_POST
def coauthor_remove(request, pk):
    contribution = _get_contribution(request, pk)
    if not permissions.can_remove_contributor(request.user, contribution):
        raise PermissionDenied
    services.idea_coauthor_remove(contribution=contribution, actor=request.user)
    messages.success(request, _("%(name)s is no longer credited with this idea.")
                     % {"name": contribution.person.name})
    return redirect(contribution.idea.get_absolute_url() + "#contributors")


@require_POST
def idea_thank(request, pk):
    idea = _get_visible(request, pk)
    if not permissions.can_thank(request.user, idea):
        raise PermissionDenied
    form = ThankYouForm(request.POST)
    if form.is_valid():
        try:
            services.idea_thank(idea=idea, actor=request.user, body=form.cleaned_data["body"])
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("Thank you for saying thank you; the contributors "
                                        "are told."))
    else:
        _form_errors(request, form)
    return redirect(idea.get_absolute_url() + "#thanks")


def _form_errors(request, form) -> None:
    for errors in form.errors.values():
        for message in errors:
            messages.error(request, message)


@require_GET
def attachment_download(request, pk):
    attachment = get_object_or_404(Attachment.objects.select_related("idea"), pk=pk)
    if not permissions.can_view(request.user, attachment.idea):
        raise Http404
    response = FileResponse(attachment.file.open("rb"), content_type=attachment.content_type,
                            as_attachment=attachment.content_type == "application/pdf",
                            filename=attachment.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


THUMBNAIL_SIZE = (480, 320)


@require_GET
def attachment_thumbnail(request, pk):
    """A small JPEG of an image attachment for idea cards, made once and kept beside the
    original in private storage; the same permission check as the original."""
    attachment = get_object_or_404(Attachment.objects.select_related("idea"), pk=pk,
                                   content_type__startswith="image/")
    if not permissions.can_view(request.user, attachment.idea):
        raise Http404
    # Named after the original file and its upload time, not the id alone: an id can
    # come back on SQLite after a delete, and must never bring back another picture.
    digest = hashlib.sha256(f"{attachment.file.name}|{attachment.created_at.isoformat()}"
                            .encode()).hexdigest()[:24]
    name = f"thumbnails/{attachment.pk}-{digest}-{THUMBNAIL_SIZE[0]}.jpg"
    storage = attachment.file.storage
    if not storage.exists(name):
        try:
            storage.save(name, _thumbnail(attachment))
        except (OSError, ValueError, Image.DecompressionBombError):
            raise Http404 from None  # not an image Pillow can read: no thumbnail
    response = FileResponse(storage.open(name, "rb"), content_type="image/jpeg")
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _thumbnail(attachment) -> ContentFile:
    with attachment.file.open("rb") as original, Image.open(original) as image:
        image = ImageOps.exif_transpose(image)
        image.thumbnail(THUMBNAIL_SIZE)
        out = io.BytesIO()
        image.convert("RGB").save(out, "JPEG", quality=80, optimize=True)
    return ContentFile(out.getvalue())


@require_GET
def my_ideas(request):
    ideas = selectors.my_ideas(user=request.user)
    page = keyset_page(request, ideas, PAGE_SIZE, count=False)
    rows = selectors.waiting_rows(page)
    return render(request, "ideas/my_ideas.html", {"page": page, "rows": rows})


def _bulk_decide(request, queue) -> None:
    """The queue's "Move selected": each idea moved or reported (services.ideas_decide)."""
    form = BulkDecideForm(request.POST, ideas_qs=queue)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return
    try:
        result = services.ideas_decide(
            ideas=form.cleaned_data["ideas"], to_stage=form.cleaned_data["to_stage"],
            actor=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        _errors(request, exc)
        return
    stage = form.cleaned_data["to_stage"].label
    if result.moved:
        messages.success(request, ngettext(
            "%(n)s idea moved to “%(stage)s”; its submitter and followers are told.",
            "%(n)s ideas moved to “%(stage)s”; their submitters and followers are told.",
            len(result.moved)) % {"n": format_number(len(result.moved)), "stage": stage})
    for idea, why in result.refused:
        messages.error(request, _("“%(title)s” was not moved: %(why)s")
                       % {"title": idea.title, "why": why})


def review_queue(request):
    if not permissions.can_review(request.user):
        raise PermissionDenied
    base = selectors.review_queue(user=request.user)
    filterset = QueueFilterSet(request.GET, queryset=base, request=request)
    if not filterset.is_valid():
        return render(request, "ideas/queue.html", {"filter": filterset, "page": None},
                      status=400)
    if request.method == "POST" and request.POST.get("action") == "move":
        _bulk_decide(request, base)
        return redirect(request.get_full_path())
    if request.method == "POST":
        form = AssignForm(request.POST, ideas_qs=base)
        if form.is_valid() and form.cleaned_data["ideas"]:
            try:
                count = services.idea_assign(ideas=form.cleaned_data["ideas"],
                                             assignee=form.cleaned_data["assignee"],
                                             actor=request.user)
                messages.success(request, _("%(n)s idea(s) assigned.") % {"n": count})
            except ValidationError as exc:
                _errors(request, exc)
        else:
            messages.error(request, _("Select ideas and a reviewer to assign them."))
        return redirect(request.get_full_path())
    page = keyset_page(request, filterset.qs, PAGE_SIZE)
    today = timezone.localdate()
    rows = render_rows(
        "ideas/includes/queue_row.html", selectors.waiting_rows(page, today),
        key=lambda row: (row["idea"].pk, row["idea"].updated_at, row["idea"].priority_score,
                         row["idea"].assignee_id, tuple(row["waiting"].values())))
    overdue_count, overdue_capped = capped_count(base.filter(selectors.overdue_q(today)))
    return render(request, "ideas/queue.html", {
        "filter": filterset, "page": page, "rendered_rows": rows,
        # Its own ids: the filter form above also has an "assignee" field (id_assignee).
        "assign_form": AssignForm(auto_id="bulk_%s"),
        "decide_form": BulkDecideForm(auto_id="bulk_%s"),
        "overdue_count": overdue_count, "overdue_capped": overdue_capped,
    })


@require_GET
def recognition(request):
    """The recognition board: who turned ideas into measured customer improvements."""
    today = timezone.localdate()
    form = DateRangeForm(request.GET or None, default=(today - timedelta(days=365), today))
    if request.GET and not form.is_valid():
        return render(request, "ideas/recognition.html", {"form": form}, status=400)
    start, end = form.period() if request.GET else form.default
    board = selectors.recognition_board(start=start, end=end)
    return render(request, "ideas/recognition.html",
                  {"form": form, "start": start, "end": end, **board})
