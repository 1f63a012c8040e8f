from datetime import timedelta

import pytest
from django.utils import timezone

from ideas.models import Idea
from ideas.tasks import remind_overdue
from notifications.models import Notification
from tests.ideas.factories import IdeaFactory

pytestmark = pytest.mark.django_db


def make_overdue(idea, days=30):
    Idea.objects.filter(pk=idea.pk).update(
        stage_entered_at=timezone.now() - timedelta(days=days))


def test_reviewers_are_reminded_of_their_overdue_ideas_once_a_day(reviewer, programme_admin):
    mine = IdeaFactory(assignee=reviewer)
    make_overdue(mine)
    IdeaFactory(assignee=reviewer)  # fresh: not overdue
    unassigned = IdeaFactory()
    make_overdue(unassigned)

    remind_overdue()
    reviewer_notes = Notification.objects.filter(recipient=reviewer, verb="ideas.overdue_reminder")
    assert [n.title for n in reviewer_notes] == ["1 idea(s) assigned to you are overdue"]
    admin_notes = Notification.objects.filter(recipient=programme_admin)
    assert [n.title for n in admin_notes] == ["1 overdue idea(s) have no reviewer"]

    remind_overdue()  # a second run the same day changes nothing
    assert Notification.objects.filter(verb="ideas.overdue_reminder").count() == 2


def test_nothing_overdue_means_no_reminders(reviewer, programme_admin):
    IdeaFactory(assignee=reviewer)
    assert remind_overdue() == 0
    assert not Notification.objects.exists()
