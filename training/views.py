import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from shared.spreadsheets import csv_response

from . import permissions, selectors, services
from .forms import EnrolForm, QuizForm, ReportFilterForm
from .models import LessonPage, ModulePage, OnboardingPath


@require_GET
def my_onboarding(request):
    return render(request, "training/my_onboarding.html",
                  selectors.my_onboarding(user=request.user))


def module_view(request, module: ModulePage):
    """ModulePage.serve (see TrainingConfig.ready)."""
    if request.method != "GET":
        return HttpResponse(status=405)
    return TemplateResponse(request, "training/module_page.html", {
        "page": module, "self": module,
        **selectors.module_page(user=request.user, module=module)})


def lesson_view(request, lesson: LessonPage):
    """LessonPage.serve (see TrainingConfig.ready)."""
    module = lesson.get_parent().specific
    if not permissions.can_open_module(request.user, module):
        messages.error(request, _("Finish the prerequisite modules first."))
        return redirect(module.url)
    if request.method == "POST":
        services.lesson_complete(user=request.user, lesson=lesson)
        messages.success(request, _("Lesson complete."))
        following = selectors.next_lesson(lesson=lesson)
        return redirect(following.url if following else module.url)
    if request.method != "GET":
        return HttpResponse(status=405)
    services.lesson_seen(user=request.user, lesson=lesson)
    return TemplateResponse(request, "training/lesson_page.html", {
        "page": lesson, "self": lesson, "module": module,
        **selectors.lesson_page(user=request.user, lesson=lesson, module=module)})


def quiz(request, pk):
    module = selectors.live_module(pk=pk)
    if module is None:
        raise Http404
    if not permissions.can_open_module(request.user, module):
        raise PermissionDenied(_("Finish the prerequisite modules first."))
    if not module.quiz:
        raise Http404
    # A fresh one-time token each time the form is shown: posting the same form twice
    # records one attempt (see services.quiz_submit).
    context = {"module": module, "questions": module.questions(), "result": None,
               "chosen": {}, "attempt_token": uuid.uuid4().hex}
    if request.method == "POST":
        form = QuizForm(request.POST, module=module)
        context["chosen"] = form.chosen()
        if not form.is_valid():
            # Nothing is recorded; the page comes back with what was ticked.
            for message in form.all_errors():
                messages.error(request, message)
            return TemplateResponse(request, "training/quiz.html", context, status=400)
        try:
            attempt, feedback = services.quiz_submit(
                user=request.user, module=module, answers=form.answers(),
                token=form.cleaned_data["attempt_token"])
        except services.QuizAlreadySubmitted as exc:
            messages.error(request, exc.messages[0])
            context["chosen"] = {}
            return TemplateResponse(request, "training/quiz.html", context, status=409)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return TemplateResponse(request, "training/quiz.html", context, status=400)
        context.update(result=attempt, feedback=feedback,
                       progress=selectors.module_progress(user=request.user, module=module))
        if attempt.passed:
            context["next_module"] = selectors.next_module(user=request.user, after=module)
    return TemplateResponse(request, "training/quiz.html", context)


@require_GET
def certificate(request, pk):
    path = get_object_or_404(OnboardingPath, pk=pk)
    data = selectors.path_certificate(user=request.user, path=path)
    if data is None:
        raise Http404(_("This path is not finished yet."))
    return render(request, "training/certificate.html", data)


def enrol(request):
    if not permissions.can_manage_onboarding(request.user):
        raise PermissionDenied
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        count = services.enrolment_create_bulk(actor=request.user, **form.cleaned_data)
        messages.success(request, _("%(n)s enrolment(s) created.") % {"n": count})
        return redirect("training:enrol")
    return render(request, "training/enrol.html", {"form": form},
                  status=400 if form.errors else 200)


@require_GET
def team(request):
    rows = selectors.team(manager=request.user)
    return render(request, "training/team.html", {"rows": rows})


def _overdue_csv(enrolments):
    """The whole overdue list, streamed row by row (it can be long)."""
    return csv_response("onboarding-overdue.csv", ["person", "department", "module", "due"], (
        [e.user.name, e.user.department, e.module.title, e.due_on]
        for e in enrolments.iterator(chunk_size=500)))


@require_GET
def report(request):
    if not permissions.can_manage_onboarding(request.user):
        raise PermissionDenied
    form = ReportFilterForm(request.GET)
    if not form.is_valid():
        return HttpResponseBadRequest(form.refusal(), content_type="text/plain; charset=utf-8")
    department = None
    if pk := form.cleaned_data["department"]:
        department = get_object_or_404(selectors.departments(), pk=pk)
    if form.cleaned_data["format"] == "csv":
        return _overdue_csv(selectors.overdue_enrolments(department=department))
    data = selectors.report(department=department)
    data.update(departments=selectors.departments(), department=department)
    return render(request, "training/report.html", data)


