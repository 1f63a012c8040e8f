from datetime import date, timedelta

from celery import shared_task
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone

from notifications.services import notification_create
from people.models import User
from shared.workdays import add_working_days

from .models import Enrolment, Reminder

DUE_SOON_WORKING_DAYS = 2


def _record(user, kind: str, key: str, today: date) -> bool:
    """Claim a reminder slot; False if this reminder already went out today. Called
    inside the transaction that also creates the notification, so a reminder is never
    recorded without its notification (nor the other way round)."""
    try:
        with transaction.atomic():
            Reminder.objects.create(user=user, kind=kind, key=key, sent_on=today)
    except IntegrityError:
        return False
    return True


@shared_task(name="training.remind_learners")
def remind_learners(today: str | None = None) -> int:
    """Daily: each new hire hears about modules due soon or overdue (once per module/day)."""
    day = date.fromisoformat(today) if today else timezone.localdate()
    soon = add_working_days(day, DUE_SOON_WORKING_DAYS)
    due = (Enrolment.objects.exclude(status=Enrolment.Status.COMPLETED)
           .filter(due_on__lte=soon, user__is_active=True).select_related("user", "module"))
    sent = 0
    for enrolment in due.iterator():
        overdue = enrolment.due_on < day
        with transaction.atomic():
            if not _record(enrolment.user, "learner", f"enrolment:{enrolment.pk}", day):
                continue
            notification_create(
                recipients=[enrolment.user], verb="training.due",
                params={"module": enrolment.module.title, "overdue": overdue,
                        "due_on": enrolment.due_on.isoformat()})
        sent += 1
    return sent


@shared_task(name="training.remind_managers")
def remind_managers(today: str | None = None) -> int:
    """Weekly: each manager gets one summary of their reports' overdue modules."""
    day = date.fromisoformat(today) if today else timezone.localdate()
    monday = day - timedelta(days=day.weekday())
    week = f"week:{monday.isoformat()}"
    managers = (User.objects.filter(is_active=True)
                .annotate(overdue=Count("reports__enrolments", filter=Q(
                    reports__enrolments__due_on__lt=day) & ~Q(
                    reports__enrolments__status=Enrolment.Status.COMPLETED)))
                .filter(overdue__gt=0))
    sent = 0
    for manager in managers:
        # Recorded against the week's Monday: one summary per week, whichever day it runs.
        with transaction.atomic():
            if not _record(manager, "manager", week, monday):
                continue
            notification_create(
                recipients=[manager], verb="training.team_overdue",
                params={"count": manager.overdue})
        sent += 1
    return sent
