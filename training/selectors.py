"""Reads for 'My onboarding', module and lesson pages, certificates, the team view and
the HR report. Views (and services that need a read) ask here."""

from collections import defaultdict

from django.db.models import Avg, Count, F, Q
from django.utils import timezone

from people.models import Department, User
from shared.translated import localized_value

from . import permissions
from .models import (
    Enrolment,
    LessonCompletion,
    LessonPage,
    ModulePage,
    OnboardingPath,
    QuizAttempt,
)


def module_progress(*, user: User, module: ModulePage) -> dict:
    lessons = list(module.lessons().values_list("pk", flat=True))
    done = set(LessonCompletion.objects.filter(user=user, lesson_id__in=lessons)
               .values_list("lesson_id", flat=True))
    passed = (not module.quiz) or QuizAttempt.objects.filter(
        user=user, module=module, passed=True).exists()
    return {"lessons": len(lessons), "done": len(done), "quiz_passed": passed,
            "complete": len(done) == len(lessons) and passed}


def module_page(*, user: User, module: ModulePage) -> dict:
    """What a module's page shows this person: its lessons, which are done, progress,
    and whether it is still locked behind its prerequisites."""
    lessons = list(module.lessons())
    done = set(LessonCompletion.objects.filter(user=user, lesson__in=lessons)
               .values_list("lesson_id", flat=True))
    return {"lessons": lessons, "done": done,
            "progress": module_progress(user=user, module=module),
            "locked": not permissions.can_open_module(user, module),
            "enrolment": Enrolment.objects.filter(user=user, module=module).first()}


def lesson_page(*, user: User, lesson: LessonPage, module: ModulePage) -> dict:
    """A lesson's place among its module's lessons, and whether this person did it."""
    siblings = list(module.lessons())
    index = next((i for i, s in enumerate(siblings) if s.pk == lesson.pk), 0)
    return {"completed": lesson.completions.filter(user=user).exists(),
            "position": index + 1, "count": len(siblings),
            "previous": siblings[index - 1] if index > 0 else None,
            "next": siblings[index + 1] if index + 1 < len(siblings) else None}


def next_lesson(*, lesson: LessonPage) -> LessonPage | None:
    return lesson.get_next_siblings().live().first()


def live_module(*, pk: int) -> ModulePage | None:
    return ModulePage.objects.live().filter(pk=pk).first()


def path_certificate(*, user: User, path: OnboardingPath) -> dict | None:
    """The certificate of a path this person finished, or None while it is not."""
    modules = set(path.steps.values_list("module_id", flat=True))
    # A module shared with another path keeps the enrolment of whichever came first.
    enrolments = list(Enrolment.objects.filter(user=user, module_id__in=modules)
                      .select_related("module"))
    done = {e.module_id for e in enrolments if e.status == Enrolment.Status.COMPLETED}
    if not modules or not modules <= done:
        return None
    finished = max(e.completed_at for e in enrolments if e.module_id in modules)
    return {"path": path, "person": user, "finished": finished, "enrolments": enrolments}


def departments():
    """The report's department filter."""
    return Department.objects.all()


def next_module(*, user: User, after: ModulePage) -> ModulePage | None:
    """The module to go on to once `after` is done: the person's next unfinished one,
    soonest due first (none: they have finished everything they are enrolled in)."""
    enrolment = (Enrolment.objects.filter(user=user, module__live=True)
                 .exclude(status=Enrolment.Status.COMPLETED).exclude(module=after)
                 .select_related("module").order_by(F("due_on").asc(nulls_last=True), "pk")
                 .first())
    return enrolment.module if enrolment else None


def my_onboarding(*, user: User) -> dict:
    """Every enrolment with lesson progress, computed in a fixed number of queries."""
    enrolments = list(Enrolment.objects.filter(user=user)
                      .select_related("module", "path", "last_lesson").order_by("due_on", "pk"))
    module_ids = [e.module_id for e in enrolments]
    lessons = defaultdict(list)
    for lesson in LessonPage.objects.live().order_by("path").only(
            "pk", "title", "path", "depth", "url_path"):
        lessons[lesson.path[:-LessonPage.steplen]].append(lesson)
    module_paths = {m.pk: m.path for m in ModulePage.objects.filter(pk__in=module_ids)
                    .only("pk", "path")}
    done = set(LessonCompletion.objects.filter(user=user).values_list("lesson_id", flat=True))
    passed = set(QuizAttempt.objects.filter(user=user, passed=True)
                 .values_list("module_id", flat=True))
    today = timezone.localdate()
    rows, total, finished = [], 0, 0
    for e in enrolments:
        module_lessons = lessons.get(module_paths.get(e.module_id, ""), [])
        lesson_done = sum(1 for lesson in module_lessons if lesson.pk in done)
        has_quiz = bool(e.module.quiz)
        steps = len(module_lessons) + (1 if has_quiz else 0)
        steps_done = lesson_done + (1 if has_quiz and e.module_id in passed else 0)
        if e.status == Enrolment.Status.COMPLETED:
            steps_done = steps
        resume = e.last_lesson or next(
            (lesson for lesson in module_lessons if lesson.pk not in done), None)
        rows.append({
            "enrolment": e, "module": e.module, "lessons": module_lessons,
            "done_ids": done, "steps": steps, "steps_done": steps_done,
            "percent": round(100 * steps_done / steps) if steps else 100,
            "overdue": e.status != Enrolment.Status.COMPLETED and e.due_on and e.due_on < today,
            "resume": resume, "quiz_passed": e.module_id in passed,
        })
        total += steps
        finished += steps_done
    next_due = next((r for r in rows if r["enrolment"].status != Enrolment.Status.COMPLETED),
                    None)
    # Each path once, in the order its first module is due (for the certificate links).
    paths = list({e.path_id: e.path for e in enrolments if e.path_id}.values())
    return {"rows": rows, "overall": round(100 * finished / total) if total else 0,
            "next_due": next_due, "paths": paths}


def report(*, department=None) -> dict:
    """HR figures, aggregated in the database."""
    today = timezone.localdate()
    qs = Enrolment.objects.all()
    if department is not None:
        qs = qs.filter(user__department=department)
    completed = Q(status=Enrolment.Status.COMPLETED)
    overdue = Q(due_on__lt=today) & ~completed

    def rate(rows):
        for row in rows:
            row["rate"] = round(100 * row["completed"] / row["total"]) if row["total"] else 0
        return rows

    per_path = rate(list(qs.values("path__name").annotate(
        total=Count("pk"), completed=Count("pk", filter=completed),
        overdue=Count("pk", filter=overdue)).order_by("path__name")))
    # The department's name in the reader's language (shared.translated).
    per_department = rate(list(qs.values(department=localized_value("user__department__name"))
                               .annotate(total=Count("pk"), completed=Count("pk", filter=completed),
                                         overdue=Count("pk", filter=overdue))
                               .order_by("department")))
    cohorts = rate(list(qs.filter(user__start_date__isnull=False)
                        .values("user__start_date__year", "user__start_date__month")
                        .annotate(total=Count("pk"), completed=Count("pk", filter=completed))
                        .order_by("user__start_date__year", "user__start_date__month")))
    scores = list(QuizAttempt.objects.values("module__title").annotate(
        average=Avg("score"), attempts=Count("pk")).order_by("module__title"))
    failed_counts: dict = defaultdict(int)
    for failed in QuizAttempt.objects.values_list("failed_questions", flat=True).iterator():
        for qid in failed or []:
            failed_counts[qid] += 1
    question_text = {}
    for module in ModulePage.objects.all().only("pk", "title", "quiz"):
        for q in module.quiz:
            question_text[q.id] = (module.title, q.value["text"])
    most_failed = sorted(((n, *question_text[qid]) for qid, n in failed_counts.items()
                          if qid in question_text), reverse=True)[:10]
    overdue_all = overdue_enrolments(department=department, today=today)
    overdue_list = list(overdue_all[:OVERDUE_SHOWN])
    overdue_count = (len(overdue_list) if len(overdue_list) < OVERDUE_SHOWN
                     else overdue_all.count())
    return {"per_path": per_path, "per_department": per_department, "cohorts": cohorts,
            "scores": scores, "most_failed": most_failed, "overdue": overdue_list,
            "overdue_count": overdue_count, "overdue_more": overdue_count - len(overdue_list),
            "total": qs.count(), "completed": qs.filter(completed).count()}


# The report page lists this many overdue enrolments; the figure and the CSV have them all.
OVERDUE_SHOWN = 200


def overdue_enrolments(*, department=None, today=None):
    """Every overdue enrolment, oldest due date first (the CSV streams all of them)."""
    today = today or timezone.localdate()
    qs = Enrolment.objects.filter(due_on__lt=today).exclude(status=Enrolment.Status.COMPLETED)
    if department is not None:
        qs = qs.filter(user__department=department)
    return qs.select_related("user", "module", "user__department").order_by("due_on", "pk")


def team(*, manager: User):
    return (Enrolment.objects.filter(user__manager=manager).select_related("user", "module")
            .order_by("user__display_name", "due_on"))
