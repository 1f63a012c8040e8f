"""Scheduled reminders go out once per person and key, however often the job runs: the
one de-duplication every scheduled notification uses (notification_create's once_key)."""

import pytest
from django.db import IntegrityError, transaction

from notifications.models import Notification
from notifications.services import notification_create
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def remind(people, key, title="Due soon"):
    return notification_create(recipients=people, verb="tests.message",
                               params={"title": title}, once_key=key)


def test_a_reminder_with_the_same_key_is_recorded_and_emailed_once(
        mailoutbox, django_capture_on_commit_callbacks):
    alice, bijan = UserFactory(), UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        assert len(remind([alice], "training.due:7:2026-11-30")) == 1
        # The job runs again (a retry, a second scheduler) and now Bijan is due too.
        again = remind([alice, bijan], "training.due:7:2026-11-30")
    assert [n.recipient for n in again] == [bijan]
    assert Notification.objects.filter(recipient=alice).count() == 1
    assert sorted(m.to[0] for m in mailoutbox) == sorted([alice.email, bijan.email])
    # Another day is another reminder.
    assert len(remind([alice], "training.due:7:2026-12-01")) == 1


def test_the_database_refuses_a_second_row_with_the_same_key():
    alice = UserFactory()
    remind([alice], "ideas.overdue:2026-11-30")
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(recipient=alice, verb="tests.message",
                                    once_key="ideas.overdue:2026-11-30")
    # Notifications without a key are never de-duplicated.
    notification_create(recipients=[alice], verb="tests.message", params={"title": "a"})
    notification_create(recipients=[alice], verb="tests.message", params={"title": "a"})
    assert Notification.objects.filter(recipient=alice, once_key="").count() == 2
