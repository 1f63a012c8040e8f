"""Writes on onboarding: enrolment, lesson completion, quiz attempts, re-completion and
reminders. Views, tasks, signals and the demo call these; each checks permission (via
training.permissions), runs atomically and records what it did."""

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from notifications.services import notification_create
from people.models import User
from shared.workdays import add_working_days, current_holidays

from . import permissions, selectors
from .grading import QuizError, quiz_grade
from .models import (
    Enrolment,
    LessonCompletion,
    LessonPage,
    ModulePage,
    OnboardingPath,
    PathRule,
    QuizAttempt,
)

# Learners hear about a module this many working days before it is due.
DUE_SOON_WORKING_DAYS = 2


def _check_can_manage(actor: User | None) -> None:
    """`actor` None is the system (path rules, the demo)."""
    if actor is not None and not permissions.can_manage_onboarding(actor):
        raise PermissionDenied


@transaction.atomic
def enrolment_create(*, user: User, module: ModulePage, actor: User | None,
                     due_on: date | None = None, path: OnboardingPath | None = None
                     ) -> tuple[Enrolment, bool]:
    """Enrol one person on one module; enrolling twice keeps the first enrolment."""
    _check_can_manage(actor)
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
    """Enrol one person on every module of a path, each due its working days after
    their start date; they are told once, when something new was assigned."""
    _check_can_manage(actor)
    start = start or user.start_date or timezone.localdate()
    created = 0
    holidays = current_holidays()  # read once for the whole path, not once per module
    for step in path.steps.select_related("module").order_by("sort_order"):
        _enrolment, made = enrolment_create(
            user=user, module=step.module, actor=actor, path=path,
            due_on=add_working_days(start, step.due_working_days, holidays=holidays))
        created += made
    if created and user.is_active:
        notification_create(
            recipients=[user], actor=actor, verb="training.enrolled",
            params={"path": path.name, "count": created})
    return created


@transaction.atomic
def enrolment_apply_path_rules(*, user: User) -> int:
    """Enrol a person on every path whose rules match them (idempotent)."""
    if not user.is_active:
        return 0
    created = 0
    rules = PathRule.objects.select_related("path")
    for path in {rule.path for rule in rules if rule.matches(user)}:
        created += path_enrol(user=user, path=path, actor=None)
    return created


def _check_can_open(user: User, module: ModulePage) -> None:
    if not permissions.can_open_module(user, module):
        raise PermissionDenied(_("Finish the prerequisite modules first."))


@transaction.atomic
def lesson_complete(*, user: User, lesson: LessonPage) -> LessonCompletion:
    module = lesson.get_parent().specific
    _check_can_open(user, module)
    completion, _created = LessonCompletion.objects.update_or_create(
        user=user, lesson=lesson, defaults={"revision_id": lesson.live_revision_id})
    Enrolment.objects.filter(user=user, module=module).update(last_lesson=lesson)
    _complete_module_if_done(user, module)
    return completion


def lesson_seen(*, user: User, lesson: LessonPage) -> None:
    """Remember where someone is, so they resume exactly there."""
    Enrolment.objects.filter(user=user, module_id=lesson.get_parent().pk).update(
        last_lesson=lesson)


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
    _check_can_open(user, module)
    if token is not None and QuizAttempt.objects.filter(user=user, module=module,
                                                        token=token).exists():
        raise _already_submitted()
    score, failed, feedback = quiz_grade(module, answers)
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


def _complete_module_if_done(user: User, module: ModulePage) -> None:
    if not selectors.module_progress(user=user, module=module)["complete"]:
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


@transaction.atomic
def enrolment_create_bulk(*, users, path: OnboardingPath | None, module: ModulePage | None,
                          actor: User, due_on: date | None = None) -> int:
    """HR enrols several people on a path and/or a single module; returns how many
    enrolments were created (existing ones are kept)."""
    if not permissions.can_manage_onboarding(actor):
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


# Reminders. ---------------------------------------------------------------------------

def enrolment_send_due_reminders(*, today: date | None = None) -> int:
    """Each active learner hears about every module due soon or overdue, once per
    module and day (notification_create's once_key). Returns how many reminders were
    sent; one transaction per reminder, so a failure part-way keeps what was sent."""
    day = today or timezone.localdate()
    soon = add_working_days(day, DUE_SOON_WORKING_DAYS)
    due = (Enrolment.objects.exclude(status=Enrolment.Status.COMPLETED)
           .filter(due_on__lte=soon, user__is_active=True).select_related("user", "module"))
    sent = 0
    for enrolment in due.iterator():
        with transaction.atomic():
            sent += len(notification_create(
                recipients=[enrolment.user], verb="training.due",
                params={"module": enrolment.module.title, "overdue": enrolment.due_on < day,
                        "due_on": enrolment.due_on.isoformat()},
                once_key=f"training.due:{enrolment.pk}:{day.isoformat()}"))
    return sent


def manager_send_overdue_summaries(*, today: date | None = None) -> int:
    """Each active manager gets one summary a week of their reports' overdue modules.
    Returns how many summaries were sent."""
    day = today or timezone.localdate()
    monday = day - timedelta(days=day.weekday())
    managers = (User.objects.filter(is_active=True)
                .annotate(overdue=Count("reports__enrolments", filter=Q(
                    reports__enrolments__due_on__lt=day) & ~Q(
                    reports__enrolments__status=Enrolment.Status.COMPLETED)))
                .filter(overdue__gt=0))
    sent = 0
    for manager in managers:
        # Keyed on the week's Monday: one summary per week, whichever day it runs.
        with transaction.atomic():
            sent += len(notification_create(
                recipients=[manager], verb="training.team_overdue",
                params={"count": manager.overdue},
                once_key=f"training.team_overdue:{monday.isoformat()}"))
    return sent
