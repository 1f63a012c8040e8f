import csv
import re
import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from people.models import Department
from shared.spreadsheets import csv_cell

from . import selectors, services
from .forms import EnrolForm, ReportFilterForm
from .models import Enrolment, LessonPage, ModulePage, OnboardingPath


@require_GET
def my_onboarding(request):
    return render(request, "training/my_onboarding.html",
                  selectors.my_onboarding(user=request.user))


def module_view(request, module: ModulePage):
    if request.method != "GET":
        return HttpResponse(status=405)
    progress = services.module_progress(request.user, module)
    lessons = list(module.lessons())
    done = set(request.user.lesson_completions.filter(lesson__in=lessons)
               .values_list("lesson_id", flat=True))
    return TemplateResponse(request, "training/module_page.html", {
        "page": module, "self": module, "lessons": lessons, "done": done,
        "progress": progress, "locked": not services.prerequisites_met(request.user, module),
        "enrolment": Enrolment.objects.filter(user=request.user, module=module).first(),
    })


def lesson_view(request, lesson: LessonPage):
    module = lesson.get_parent().specific
    if not services.prerequisites_met(request.user, module):
        messages.error(request, _("Finish the prerequisite modules first."))
        return redirect(module.url)
    if request.method == "POST":
        services.lesson_complete(user=request.user, lesson=lesson)
        messages.success(request, _("Lesson complete."))
        following = lesson.get_next_siblings().live().first()
        return redirect(following.url if following else module.url)
    if request.method != "GET":
        return HttpResponse(status=405)
    services.lesson_seen(user=request.user, lesson=lesson)
    siblings = list(module.lessons())
    index = next((i for i, s in enumerate(siblings) if s.pk == lesson.pk), 0)
    return TemplateResponse(request, "training/lesson_page.html", {
        "page": lesson, "self": lesson, "module": module,
        "completed": lesson.completions.filter(user=request.user).exists(),
        "position": index + 1, "count": len(siblings),
        "previous": siblings[index - 1] if index > 0 else None,
        "next": siblings[index + 1] if index + 1 < len(siblings) else None,
    })


def _module(pk) -> ModulePage:
    module = ModulePage.objects.live().filter(pk=pk).first()
    if module is None:
        raise Http404
    return module


ATTEMPT_TOKEN = re.compile(r"[0-9a-f]{32}")


def quiz(request, pk):
    module = _module(pk)
    if not services.prerequisites_met(request.user, module):
        raise PermissionDenied(_("Finish the prerequisite modules first."))
    if not module.quiz:
        raise Http404
    # A fresh one-time token each time the form is shown: posting the same form twice
    # records one attempt (see services.quiz_submit).
    context = {"module": module, "questions": module.questions(), "result": None,
               "chosen": {}, "attempt_token": uuid.uuid4().hex}
    if request.method == "POST":
        answers = {}
        for key in request.POST:
            if key.startswith("q-"):
                answers[key[2:][:64]] = [v[:64] for v in request.POST.getlist(key) if v][:20]
        context["chosen"] = answers
        token = request.POST.get("attempt_token", "")
        if not ATTEMPT_TOKEN.fullmatch(token):
            messages.error(request, _("This quiz form is out of date; your answers were not "
                                      "recorded. Check them and submit again."))
            return TemplateResponse(request, "training/quiz.html", context, status=400)
        try:
            attempt, feedback = services.quiz_submit(user=request.user, module=module,
                                                     answers=answers, token=token)
        except services.QuizAlreadySubmitted as exc:
            messages.error(request, exc.messages[0])
            context["chosen"] = {}
            return TemplateResponse(request, "training/quiz.html", context, status=409)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return TemplateResponse(request, "training/quiz.html", context, status=400)
        context.update(result=attempt, feedback=feedback,
                       progress=services.module_progress(request.user, module))
    return TemplateResponse(request, "training/quiz.html", context)


@require_GET
def certificate(request, pk):
    path = get_object_or_404(OnboardingPath, pk=pk)
    modules = set(path.steps.values_list("module_id", flat=True))
    # A module shared with another path keeps the enrolment of whichever came first.
    enrolments = list(Enrolment.objects.filter(user=request.user, module_id__in=modules)
                      .select_related("module"))
    done = {e.module_id for e in enrolments if e.status == Enrolment.Status.COMPLETED}
    if not modules or not modules <= done:
        raise Http404(_("This path is not finished yet."))
    finished = max(e.completed_at for e in enrolments if e.module_id in modules)
    return render(request, "training/certificate.html",
                  {"path": path, "person": request.user, "finished": finished,
                   "enrolments": enrolments})


def enrol(request):
    if not services.can_manage(request.user):
        raise PermissionDenied
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        count = services.bulk_enrol(actor=request.user, **form.cleaned_data)
        messages.success(request, _("%(n)s enrolment(s) created.") % {"n": count})
        return redirect("training:enrol")
    return render(request, "training/enrol.html", {"form": form},
                  status=400 if form.errors else 200)


@require_GET
def team(request):
    rows = selectors.team(manager=request.user)
    return render(request, "training/team.html", {"rows": rows})


class _Echo:
    def write(self, value):
        return value


def _overdue_csv(enrolments) -> StreamingHttpResponse:
    """The whole overdue list, streamed row by row (it can be long)."""
    writer = csv.writer(_Echo())

    def rows():
        yield "\ufeff" + writer.writerow(["person", "department", "module", "due"])
        for e in enrolments.iterator(chunk_size=500):
            yield writer.writerow([csv_cell(e.user.name), csv_cell(e.user.department),
                                   csv_cell(e.module.title), e.due_on])

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="onboarding-overdue.csv"'
    return response


@require_GET
def report(request):
    if not services.can_manage(request.user):
        raise PermissionDenied
    form = ReportFilterForm(request.GET)
    if not form.is_valid():
        return HttpResponse(_("Unknown department."), status=400,
                            content_type="text/plain; charset=utf-8")
    department = None
    if pk := form.cleaned_data["department"]:
        department = get_object_or_404(Department, pk=pk)
    if request.GET.get("format") == "csv":
        return _overdue_csv(selectors.overdue_enrolments(department=department))
    data = selectors.report(department=department)
    data.update(departments=Department.objects.all(), department=department)
    return render(request, "training/report.html", data)


