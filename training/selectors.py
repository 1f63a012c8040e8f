"""Reads for 'My onboarding', the team view and the HR report."""

from collections import defaultdict

from django.db.models import Avg, Count, Q
from django.utils import timezone

from people.models import User

from .models import Enrolment, LessonCompletion, LessonPage, ModulePage, QuizAttempt


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
    per_department = rate(list(qs.values("user__department__name").annotate(
        total=Count("pk"), completed=Count("pk", filter=completed),
        overdue=Count("pk", filter=overdue)).order_by("user__department__name")))
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


def overdue_count(*, department=None, today=None) -> int:
    return overdue_enrolments(department=department, today=today).count()


def team(*, manager: User):
    return (Enrolment.objects.filter(user__manager=manager).select_related("user", "module")
            .order_by("user__display_name", "due_on"))
