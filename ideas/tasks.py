from celery import shared_task
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from notifications.models import Notification
from notifications.services import notification_create
from people import roles
from people.models import User

from .models import Idea, Stage
from .selectors import overdue_q

REMINDER_VERB = "ideas.overdue_reminder"


def _already_reminded_today() -> set[int]:
    today = timezone.localdate()
    return set(Notification.objects.filter(verb=REMINDER_VERB, created_at__date=today)
               .values_list("recipient_id", flat=True))


@shared_task(name="ideas.remind_overdue")
def remind_overdue() -> int:
    """Daily: reviewers hear about their overdue ideas; programme admins about overdue
    ideas nobody is assigned to. Safe to run twice a day: one reminder per person."""
    waiting = (Idea.objects.filter(status=Idea.Status.SUBMITTED)
               .exclude(stage__kind__in=Stage.CLOSED_KINDS).filter(overdue_q()))
    done = _already_reminded_today()
    sent = 0
    with transaction.atomic():
        per_reviewer = (waiting.filter(assignee__isnull=False).values("assignee")
                        .annotate(n=Count("pk")))
        reviewers = User.objects.in_bulk([row["assignee"] for row in per_reviewer])
        for row in per_reviewer:
            person = reviewers[row["assignee"]]
            if person.pk in done:
                continue
            sent += len(notification_create(
                recipients=[person], verb=REMINDER_VERB, params={"count": row["n"]},
            ))
        unassigned = waiting.filter(assignee__isnull=True).count()
        if unassigned:
            admins = Group.objects.get(name=roles.PROGRAMME_ADMIN).user_set.filter(
                is_active=True).exclude(pk__in=done)
            sent += len(notification_create(
                recipients=admins, verb=REMINDER_VERB,
                params={"count": unassigned, "unassigned": True},
            ))
    return sent
