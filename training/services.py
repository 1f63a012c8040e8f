"""Writes on onboarding: enrolment, lesson completion, quiz grading, re-completion."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from notifications.services import notification_create
from people.models import User
from shared.workdays import add_working_days

from .models import (
    Enrolment,
    LessonCompletion,
    LessonPage,
    ModulePage,
    OnboardingPath,
    PathRule,
    QuizAttempt,
)


def can_manage(user) -> bool:
    return user.is_authenticated and user.has_perm("training.add_enrolment")


@transaction.atomic
def enrolment_create(*, user: User, module: ModulePage, actor: User | None,
                     due_on: date | None = None, path: OnboardingPath | None = None
                     ) -> tuple[Enrolment, bool]:
    """Enrol one person on one module; enrolling twice keeps the first enrolment."""
    if actor is not None and not can_manage(actor):
        raise PermissionDenied
    enrolment, created = Enrolment.objects.get_or_create(
        user=user, module=module,
        defaults={"due_on": due_on, "path": path, "assigned_by": actor})
    if created:
        log(instance=enrolment.module, action="training.enrol", user=actor,
            data={"user": user.name, "due_on": str(due_on) if due_on else None})
    return enrolment, created


@transaction.atomic
def path_enrol(*, user: User, path: OnboardingPath, actor: User | None,
               start: date | None = None) -> int:
    start = start or user.start_date or timezone.localdate()
    created = 0
    for step in path.steps.select_related("module").order_by("sort_order"):
        _enrolment, made = enrolment_create(
            user=user, module=step.module, actor=actor, path=path,
            due_on=add_working_days(start, step.due_working_days))
        created += made
    if created and user.is_active:
        notification_create(
            recipients=[user], actor=actor, verb="training.enrolled",
            params={"path": path.name, "count": created})
    return created


def apply_path_rules(user: User) -> int:
    """Enrol a person on every path whose rules match them (idempotent)."""
    if not user.is_active:
        return 0
    created = 0
    rules = PathRule.objects.select_related("path")
    for path in {rule.path for rule in rules if rule.matches(user)}:
        created += path_enrol(user=user, path=path, actor=None)
    return created


def prerequisites_met(user: User, module: ModulePage) -> bool:
    needed = set(module.prerequisites.values_list("pk", flat=True))
    if not needed:
        return True
    done = set(Enrolment.objects.filter(user=user, module_id__in=needed,
                                        status=Enrolment.Status.COMPLETED)
               .values_list("module_id", flat=True))
    return needed <= done


def check_can_open(user: User, module: ModulePage) -> None:
    if not prerequisites_met(user, module):
        raise PermissionDenied(_("Finish the prerequisite modules first."))


@transaction.atomic
def lesson_complete(*, user: User, lesson: LessonPage) -> LessonCompletion:
    module = lesson.get_parent().specific
    check_can_open(user, module)
    completion, _created = LessonCompletion.objects.update_or_create(
        user=user, lesson=lesson, defaults={"revision_id": lesson.live_revision_id})
    Enrolment.objects.filter(user=user, module=module).update(last_lesson=lesson)
    _complete_module_if_done(user, module)
    return completion


def lesson_seen(*, user: User, lesson: LessonPage) -> None:
    """Remember where someone is, so they resume exactly there."""
    Enrolment.objects.filter(user=user, module_id=lesson.get_parent().pk).update(
        last_lesson=lesson)


class QuizError(ValidationError):
    pass


def grade(module: ModulePage, answers: dict[str, list[str]]) -> tuple[int, list[str], dict]:
    """Score answers {question id: [choice ids]} on the server. Unknown, missing or
    forged ids are refused rather than scored."""
    questions = {q.id: q for q in module.quiz}
    if not questions:
        raise QuizError(_("This module has no quiz."))
    extra = set(answers) - set(questions)
    if extra:
        raise QuizError(_("The answers do not match this quiz; reload the page and try again."))
    missing = [qid for qid in questions if not answers.get(qid)]
    if missing:
        raise QuizError(_("Answer every question (%(n)s unanswered).") % {"n": len(missing)})
    correct, failed, feedback = 0, [], {}
    for qid, question in questions.items():
        choices = {c.id: c.value for c in question.value["choices"].bound_blocks}
        chosen = set(answers[qid])
        if not chosen <= set(choices):
            raise QuizError(_("The answers do not match this quiz; reload the page and try "
                              "again."))
        if question.value["kind"] != "multiple" and len(chosen) != 1:
            raise QuizError(_("Choose exactly one answer for “%(q)s”.")
                            % {"q": question.value["text"]})
        right = {cid for cid, c in choices.items() if c["correct"]}
        ok = chosen == right
        correct += ok
        if not ok:
            failed.append(qid)
        feedback[qid] = {"correct": ok, "explanations": [
            choices[cid]["explanation"] for cid in chosen if choices[cid]["explanation"]]}
    return round(100 * correct / len(questions)), failed, feedback


class QuizAlreadySubmitted(QuizError):
    pass


def _already_submitted() -> QuizAlreadySubmitted:
    return QuizAlreadySubmitted(_("These answers were already submitted (the form was sent "
                                  "twice); your first submission counts and nothing else "
                                  "was recorded. Your result is on your onboarding page."))


@transaction.atomic
def quiz_submit(*, user: User, module: ModulePage, answers: dict[str, list[str]],
                token: str | None = None) -> tuple[QuizAttempt, dict]:
    """Grade and record one attempt. `token` is the quiz form's one-time token: a second
    submission with the same token is refused and changes nothing."""
    check_can_open(user, module)
    if token is not None and QuizAttempt.objects.filter(user=user, module=module,
                                                        token=token).exists():
        raise _already_submitted()
    score, failed, feedback = grade(module, answers)
    try:
        with transaction.atomic():
            attempt = QuizAttempt.objects.create(
                user=user, module=module, score=score, passed=score >= module.pass_mark,
                answers=answers, failed_questions=failed, token=token)
    except IntegrityError:
        # The same form posted twice at once: the other request recorded it.
        raise _already_submitted() from None
    enrolment = Enrolment.objects.select_for_update().filter(user=user, module=module).first()
    if enrolment is not None and (enrolment.best_score or 0) < score:
        enrolment.best_score = score
        enrolment.save(update_fields=["best_score"])
    _complete_module_if_done(user, module)
    return attempt, feedback


def module_progress(user: User, module: ModulePage) -> dict:
    lessons = list(module.lessons().values_list("pk", flat=True))
    done = set(LessonCompletion.objects.filter(user=user, lesson_id__in=lessons)
               .values_list("lesson_id", flat=True))
    passed = (not module.quiz) or QuizAttempt.objects.filter(
        user=user, module=module, passed=True).exists()
    return {"lessons": len(lessons), "done": len(done), "quiz_passed": passed,
            "complete": len(done) == len(lessons) and passed}


def _complete_module_if_done(user: User, module: ModulePage) -> None:
    if not module_progress(user, module)["complete"]:
        return
    Enrolment.objects.get_or_create(user=user, module=module)
    updated = Enrolment.objects.filter(user=user, module=module).exclude(
        status=Enrolment.Status.COMPLETED).update(
        status=Enrolment.Status.COMPLETED, completed_at=timezone.now(),
        completed_revision_id=module.live_revision_id)
    if updated:
        log(instance=module, action="training.complete", user=user)


@transaction.atomic
def module_republished(*, module: ModulePage) -> int:
    """After a substantive change, people who completed an older revision review it."""
    if not module.requires_recompletion:
        return 0
    stale = Enrolment.objects.filter(module=module, status=Enrolment.Status.COMPLETED).exclude(
        completed_revision_id=module.live_revision_id)
    people = list(User.objects.filter(enrolments__in=stale))
    count = stale.update(status=Enrolment.Status.REVIEW)
    # Lessons and quiz must be done again against the new revision.
    LessonCompletion.objects.filter(user__in=people, lesson__in=module.lessons()).delete()
    QuizAttempt.objects.filter(user__in=people, module=module, passed=True).update(passed=False)
    ModulePage.objects.filter(pk=module.pk).update(requires_recompletion=False)
    notification_create(recipients=people, verb="training.review",
                        params={"module": module.title, "path": module.url or ""})
    return count


def bulk_enrol(*, users, path: OnboardingPath | None, module: ModulePage | None, actor: User,
               due_on: date | None = None) -> int:
    if not can_manage(actor):
        raise PermissionDenied
    created = 0
    for user in users:
        try:
            if path is not None:
                created += path_enrol(user=user, path=path, actor=actor)
            if module is not None:
                created += enrolment_create(user=user, module=module, actor=actor,
                                            due_on=due_on)[1]
        except IntegrityError:
            continue
    return created
