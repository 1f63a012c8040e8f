from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from ideas.selectors import idea_detail
from people.models import Department, User
from shared import ratelimit
from shared.charts import bar_chart, line_chart
from shared.paging import keyset_page, page_or_404
from shared.spreadsheets import csv_cell

from . import permissions, selectors, services
from .forms import (
    DecisionForm,
    HandoverForm,
    InsightAnswerForm,
    InsightFilterSet,
    InsightForm,
    InsightQueueForm,
    InsightReassignForm,
    NominationForm,
    NominationStatusForm,
    PulseAnswerForm,
    PulseLinksForm,
    RosterFilterForm,
    TermActionForm,
)
from .models import Nomination, PulseAnswer, PulseLink, PulseRound, Term

PAGE_SIZE = 30


def _page(request, qs, size=PAGE_SIZE):
    return page_or_404(request, qs, size)


@require_GET
def roster(request):
    form = RosterFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return render(request, "champions/roster.html", {"form": form, "page": None}, status=400)
    data = form.cleaned_data if form.is_bound else {}
    departments = selectors.roster_departments(
        status=data.get("status") or "active", department=data.get("department"),
        query=data.get("q", ""))
    page = _page(request, departments)
    # One row per term; a department without a matching term is a "No champion" row.
    rows = [{"department": d, "term": term} for d in page for term in (d.roster_terms or [None])]
    cover = selectors.coverage()
    return render(request, "champions/roster.html", {
        "form": form, "page": page, "rows": rows,
        "coverage": cover,
    })


@require_GET
def coverage(request):
    return render(request, "champions/coverage.html", {"coverage": selectors.coverage()})


def _profile_response(request, person, status=200):
    context = selectors.champion_profile(person=person, viewer=request.user)
    context["can_manage"] = permissions.can_manage(request.user)
    context["can_hand_over"] = {term.pk for term in context["terms"]
                                if permissions.can_hand_over(request.user, term)}
    return render(request, "champions/profile.html", context, status=status)


@require_GET
def profile(request, pk):
    person = get_object_or_404(User, pk=pk, is_active=True)
    return _profile_response(request, person)


def _errors(form) -> list[str]:
    return [message for errors in form.errors.values() for message in errors]


def nominate(request):
    form = NominationForm(request.POST or None,
                          initial={"department": request.user.department_id})
    if request.method == "POST" and form.is_valid():
        try:
            services.nomination_create(nominator=request.user, **form.cleaned_data)
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Thank you. Programme admins will review the "
                                        "nomination; you will hear back."))
            return redirect("champions:roster")
    return render(request, "champions/nominate.html", {"form": form},
                  status=400 if form.errors else 200)


def _nominations_response(request, form, status=200):
    chosen = form.chosen_status()
    return render(request, "champions/nominations.html",
                  {"page": keyset_page(request, selectors.nominations(status=chosen), PAGE_SIZE,
                                       count=False),
                   "status": chosen, "statuses": Nomination.Status.choices,
                   "status_form": form, "decision_form": DecisionForm(),}, status=status)


@require_GET
def nominations(request):
    if not permissions.can_manage(request.user):
        raise PermissionDenied
    # An unknown status lists them all and says why (a hand-edited or old link).
    return _nominations_response(request, NominationStatusForm.from_query(request.GET))


@require_POST
def nomination_decide(request, pk):
    nomination = get_object_or_404(Nomination, pk=pk)
    if not permissions.can_manage(request.user):
        raise PermissionDenied
    form = DecisionForm(request.POST)
    if not form.is_valid():
        # Nothing is decided: the list again, with what was wrong.
        if "reason" in form.errors:
            messages.error(request, _("The reason is too long (at most 2000 characters)."))
        for field in ("decision", "__all__"):
            for message in form.errors.get(field, []):
                messages.error(request, message)
        return _nominations_response(request, NominationStatusForm.from_query({}),
                                     status=400)
    try:
        if form.cleaned_data["decision"] == DecisionForm.APPROVE:
            services.nomination_approve(nomination=nomination, actor=request.user,
                                        reason=form.cleaned_data["reason"])
            messages.success(request, _("Approved: the term starts today."))
        else:
            services.nomination_decline(nomination=nomination, actor=request.user,
                                        reason=form.cleaned_data["reason"])
            messages.success(request, _("Declined. The nominee and nominator are told."))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect("champions:nominations")


@require_POST
def term_action(request, pk):
    term = get_object_or_404(Term.objects.select_related("person"), pk=pk)
    form = TermActionForm(request.POST)
    if not form.is_valid():
        if not permissions.can_end_term(request.user, term):
            raise PermissionDenied
        for message in _errors(form):
            messages.error(request, message)
        return _profile_response(request, term.person, status=400)
    try:
        if form.cleaned_data["action"] == TermActionForm.RENEW:
            services.term_renew(term=term, actor=request.user)
            messages.success(request, _("Renewed: the next term follows on."))
        else:
            services.term_end(term=term, actor=request.user,
                              reason=form.cleaned_data["reason"] or _("Ended early"))
            messages.success(request, _("The term was ended."))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect("champions:profile", pk=term.person_id)


@require_POST
def sponsor_idea(request, pk):
    idea = idea_detail(user=request.user, pk=pk)
    if idea is None:
        raise Http404
    try:
        services.idea_sponsor(idea=idea, actor=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("You now sponsor this idea; it is listed on your champion "
                                    "profile."))
    return redirect(idea)


def handover(request, pk):
    term = get_object_or_404(Term.objects.select_related("department"), pk=pk)
    if not permissions.can_hand_over(request.user, term):
        raise PermissionDenied
    form = HandoverForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.term_handover(term=term, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Handed over. Your successor's nomination is with the "
                                        "programme admins."))
            return redirect("champions:profile", pk=term.person_id)
    return render(request, "champions/handover.html", {"form": form, "term": term},
                  status=400 if form.errors else 200)


def insights(request):
    form = InsightForm(request.POST or None, initial={"sentiment": "neutral"})
    if request.method == "POST" and form.is_valid():
        idea = None
        number = form.cleaned_data["idea_number"]
        if number:
            idea = idea_detail(user=request.user, pk=number)
            if idea is None:
                form.add_error("idea_number", _("There is no idea with that number."))
        if not form.errors:
            try:
                services.insight_create(
                    author=request.user, idea=idea, tags=form.tag_list(),
                    **{f: form.cleaned_data[f] for f in form.Meta.fields})
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error(None, message)
            else:
                messages.success(request, _("Thank you: your insight is in the log."))
                return redirect("champions:insights")
    filterset = InsightFilterSet(request.GET or None, queryset=selectors.insight_feed())
    if request.GET and not filterset.is_valid():
        return render(request, "champions/insights.html",
                      {"filter": filterset, "form": form, "page": None}, status=400)
    qs = filterset.qs if request.GET else filterset.queryset
    return render(request, "champions/insights.html", {
        "filter": filterset, "form": form,
        "can_turn_insights": (permissions.can_manage(request.user)
                              or permissions.has_active_term(request.user)),
        "page": keyset_page(request, qs, PAGE_SIZE, count=False)},
        status=400 if form.errors else 200)


@require_GET
def meeting_opener(request, pk):
    department = get_object_or_404(Department, pk=pk)
    return render(request, "champions/meeting.html",
                  selectors.meeting_opener(department=department, viewer=request.user))


def insight_to_idea(request, pk):
    """An insight becomes an idea in one step: the idea form, prefilled from it; saving
    links the two (champions.services.insight_link_idea, in the idea's transaction)."""
    from ideas.views import idea_form_from

    from .models import Insight

    insight = get_object_or_404(Insight, pk=pk)
    if insight.idea_id is not None:
        messages.info(request, _("This insight already led to an idea."))
        return redirect("ideas:detail", insight.idea_id)
    if not permissions.can_turn_into_idea(request.user, insight):
        raise PermissionDenied
    initial = {"problem": insight.text, "customer_segment": insight.customer_segment_id,
               "channel": insight.channel_id, "department": insight.department_id}
    return idea_form_from(
        request, initial=initial, source=insight.text,
        on_saved=lambda idea: services.insight_link_idea(insight=insight, idea=idea,
                                                         actor=request.user))


def _insight_or_404(pk):
    insight = selectors.insight_page(pk=pk)
    if insight is None:
        raise Http404
    return insight


def insight(request, pk):
    """One insight: what the customer said, who owns it, its target and its answer so
    far; the owner (or a co-champion, or a manager) answers it here."""
    insight = _insight_or_404(pk)
    can_answer = permissions.can_answer_insight(request.user, insight)
    answer_form = InsightAnswerForm(request.POST or None, insight=insight) if can_answer else None
    if request.method == "POST":
        if not can_answer:
            raise PermissionDenied
        if answer_form.is_valid():
            try:
                services.insight_answer(insight=insight, actor=request.user,
                                        **answer_form.cleaned_data)
            except ValidationError as exc:
                for message in exc.messages:
                    answer_form.add_error(None, message)
            else:
                messages.success(request, _("Saved. The person who logged it is told."))
                return redirect("champions:insight", pk=insight.pk)
    return _render_insight(request, insight, answer_form=answer_form)


def _render_insight(request, insight, *, answer_form=None, reassign_form=None):
    can_reassign = permissions.can_reassign_insight(request.user, insight)
    if reassign_form is None and can_reassign:
        reassign_form = InsightReassignForm(prefix="reassign")
    if answer_form is None and permissions.can_answer_insight(request.user, insight):
        answer_form = InsightAnswerForm(insight=insight)
    failed = (answer_form is not None and answer_form.errors) or (
        reassign_form is not None and reassign_form.errors)
    return render(request, "champions/insight.html", {
        "insight": insight, "answer_form": answer_form,
        "reassign_form": reassign_form if can_reassign else None,
        "can_turn": permissions.can_turn_into_idea(request.user, insight),
    }, status=400 if failed else 200)


@require_POST
def insight_reassign(request, pk):
    insight = _insight_or_404(pk)
    if not permissions.can_reassign_insight(request.user, insight):
        raise PermissionDenied
    form = InsightReassignForm(request.POST, prefix="reassign")
    if form.is_valid():
        try:
            services.insight_reassign(insight=insight, actor=request.user,
                                      **form.cleaned_data)
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Handed over to %(name)s, who is told.") % {
                "name": form.cleaned_data["owner"].name})
            return redirect("champions:insight", pk=insight.pk)
    return _render_insight(request, insight, reassign_form=form)


@require_GET
def insight_queue(request):
    """Open insights by their 24-hour target: a champion's own; a manager may also list
    those nobody owns, or everyone's."""
    form = InsightQueueForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return render(request, "champions/insight_queue.html", {"form": form, "page": None},
                      status=400)
    data = form.cleaned_data if form.is_bound else {}
    owner = data.get("owner") or InsightQueueForm.MINE
    if owner != InsightQueueForm.MINE and not permissions.can_manage(request.user):
        raise PermissionDenied
    qs = selectors.insight_queue(user=request.user, owner=owner,
                                 department=data.get("department"))
    return render(request, "champions/insight_queue.html", {
        "form": form, "page": _page(request, qs), "now": timezone.now(),
        "can_manage": permissions.can_manage(request.user)})


# --- Pulse surveys ----------------------------------------------------------------------

@require_GET
def pulse_list(request):
    """The pulses open to the reader; for champions and managers, every round's results."""
    context = {"open_rounds": selectors.pulse_open_for(user=request.user)}
    if permissions.can_see_pulse_results(request.user):
        context["rounds"] = _page(request, selectors.pulse_rounds())
    return render(request, "champions/pulse_list.html", context)


def pulse_answer(request, pk):
    pulse_round = get_object_or_404(PulseRound.objects.select_related("survey"), pk=pk)
    if not permissions.can_answer_pulse(request.user, pulse_round):
        raise Http404
    form = PulseAnswerForm(request.POST if request.method == "POST" else None,
                           questions=pulse_round.survey.questions.all())
    if request.method == "POST" and form.is_valid():
        try:
            services.pulse_respond(pulse_round=pulse_round, person=request.user,
                                   answers=form.answers())
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Thank you: your answers are in."))
            return redirect("champions:pulse_list")
    return render(request, "champions/pulse_answer.html",
                  {"round": pulse_round, "survey": pulse_round.survey, "form": form},
                  status=400 if form.errors else 200)


@require_GET
def pulse_results(request, pk):
    if not permissions.can_see_pulse_results(request.user):
        raise PermissionDenied
    pulse_round = get_object_or_404(PulseRound.objects.select_related("survey"), pk=pk)
    results = selectors.pulse_results(pulse_round=pulse_round)
    results["links_form"] = PulseLinksForm()
    results["link_count"] = pulse_round.links.count()
    if request.GET.get("export") == "csv":
        return _pulse_csv(results)
    for row in results["rows"]:
        row["chart_id"] = f"chart-q{row['question'].pk}"
        if len(row["trend"]) > 1:
            row["trend_chart"] = line_chart(row["trend"], label="round", value="average")
        if row.get("distribution"):
            row["chart"] = bar_chart(row["distribution"], label="value", value="n")
        elif row.get("choices"):
            row["chart"] = bar_chart(row["choices"], label="choice", value="n")
    return render(request, "champions/pulse_results.html", results)


def _pulse_csv(results):
    """Counts only (never who answered): per question, each value or choice and how many
    chose it; then the written answers."""
    import csv

    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="pulse-{results["round"].pk}.csv"')
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(["question", "answer", "count"])
    for row in results["rows"]:
        for cell in row.get("distribution") or []:
            writer.writerow([csv_cell(row["question"].text), cell["value"], cell["n"]])
        for cell in row.get("choices") or []:
            writer.writerow([csv_cell(row["question"].text), csv_cell(cell["choice"]),
                             cell["n"]])
        for answer in row["texts"]:
            writer.writerow([csv_cell(row["question"].text), csv_cell(answer.text), 1])
    return response


@require_POST
def pulse_to_insight(request, pk):
    answer = get_object_or_404(PulseAnswer.objects.select_related("response"), pk=pk)
    if not permissions.can_see_pulse_results(request.user):
        raise PermissionDenied
    try:
        insight = services.pulse_answer_to_insight(answer=answer, actor=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("champions:pulse_results", pk=answer.response.round_id)
    messages.success(request, _("The answer is now a customer insight; you own it."))
    return redirect("champions:insight", pk=insight.pk)


# --- The customer library ---------------------------------------------------------------

@require_GET
def customers(request):
    return render(request, "champions/customers.html",
                  {"customers": selectors.customer_library()})


@require_GET
def customer(request, pk):
    from people.models import CustomerSegment

    segment = get_object_or_404(CustomerSegment.objects.select_related("photo"), pk=pk)
    return render(request, "champions/customer.html",
                  selectors.customer_page(segment=segment, viewer=request.user))


@require_POST
def pulse_links(request, pk):
    """Single-use links for a customer pulse's round, as a CSV to mail merge."""
    import csv

    if not permissions.can_see_pulse_results(request.user):
        raise PermissionDenied
    pulse_round = get_object_or_404(PulseRound, pk=pk)
    form = PulseLinksForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("champions:pulse_results", pk=pk)
    try:
        links = services.pulse_links_create(pulse_round=pulse_round, actor=request.user,
                                            count=form.cleaned_data["count"])
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("champions:pulse_results", pk=pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="pulse-{pk}-links.csv"'
    writer = csv.writer(response)
    writer.writerow(["link"])
    for link in links:
        writer.writerow([request.build_absolute_uri(
            reverse("pulse_public", args=[link.token]))])
    return response


# A customer's link: at most this many requests per address per window.
PULSE_PUBLIC_LIMIT, PULSE_PUBLIC_WINDOW = 30, 600


@login_not_required
@csrf_exempt  # the unguessable single-use token in the address is the credential
def pulse_public(request, token):
    """A customer answers a pulse through their single-use link: no sign-in, no cookie,
    nothing kept about them; limited per address so links cannot be guessed at speed."""
    if not ratelimit.allow(f"pulse:{ratelimit.client_address(request)}",
                           limit=PULSE_PUBLIC_LIMIT, seconds=PULSE_PUBLIC_WINDOW):
        return _no_tracking(HttpResponse(_("Too many requests; try again in a few minutes."),
                                         status=429, content_type="text/plain"))
    link = (PulseLink.objects.select_related("round__survey").filter(token=token[:64])
            .first())
    if link is None:
        raise Http404
    survey = link.round.survey
    form = PulseAnswerForm(request.POST if request.method == "POST" else None,
                           questions=survey.questions.all())
    done = None
    if link.used_at is not None:
        done = _("This link has already been used. Thank you!")
    elif not link.round.is_open:
        done = _("This survey is closed. Thank you all the same!")
    elif request.method == "POST" and form.is_valid():
        try:
            services.pulse_respond_by_link(token=link.token, answers=form.answers())
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            done = _("Thank you: your answers are in.")
    status = 410 if done and request.method == "GET" else 400 if form.errors else 200
    return _no_tracking(render(request, "champions/pulse_public.html", {
        "survey": survey, "form": form, "done": done}, status=status))


def _no_tracking(response):
    # The token must not leak to other sites, nor the page linger in shared caches.
    response["Referrer-Policy"] = "no-referrer"
    response["Cache-Control"] = "no-store"
    return response
