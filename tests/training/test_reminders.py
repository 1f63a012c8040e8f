"""Reminders: new hires hear about modules due soon or overdue, managers get a weekly
summary; each is recorded and never sent twice for the same item and day (or week).
Time is frozen by passing `today`, as Celery beat would pass nothing."""

from datetime import date

import pytest

from notifications.models import Notification
from tests.factories import UserFactory
from training import services
from training.models import Enrolment
from training.tasks import remind_learners, remind_managers

from .factories import module_page

pytestmark = pytest.mark.django_db

MONDAY = "2026-11-23"


@pytest.fixture
def due_items(index, new_hire):
    """On Monday 23 November: one module overdue, one due within two working days, one
    due later, one overdue but already completed."""
    manager = UserFactory(display_name="Mina Manager")
    new_hire.manager = manager
    new_hire.save()
    items = {}
    for slug, due in [("overdue", date(2026, 11, 20)), ("soon", date(2026, 11, 25)),
                      ("later", date(2026, 12, 10)), ("done", date(2026, 11, 18))]:
        module = module_page(slug, title=f"Module {slug}", lessons=1)
        items[slug] = services.enrolment_create(user=new_hire, module=module, actor=None,
                                                due_on=due)[0]
    Enrolment.objects.filter(pk=items["done"].pk).update(status=Enrolment.Status.COMPLETED)
    return manager, items


def learner_notes(user):
    # Titles as the learner reads them (rendered in their language, English here).
    return sorted(n.title for n in Notification.objects.filter(recipient=user,
                                                               verb="training.due"))


def test_learners_are_reminded_once_per_module_and_day(due_items, new_hire, mailoutbox,
                                                       django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert remind_learners(today=MONDAY) == 2
        assert remind_learners(today=MONDAY) == 0
    assert learner_notes(new_hire) == ["Due soon: Module soon", "Overdue: Module overdue"]
    assert Notification.objects.filter(recipient=new_hire, verb="training.due").exclude(
        once_key="").count() == 2
    assert sorted(m.subject for m in mailoutbox) == ["Due soon: Module soon",
                                                     "Overdue: Module overdue"]
    assert all(m.to == [new_hire.email] for m in mailoutbox)
    # The next day is a new day: one reminder per item again, still only once.
    with django_capture_on_commit_callbacks(execute=True):
        assert remind_learners(today="2026-11-24") == 2
        assert remind_learners(today="2026-11-24") == 0
    assert len(learner_notes(new_hire)) == 4
    assert len(mailoutbox) == 4


def test_finished_and_inactive_learners_are_not_reminded(due_items, new_hire):
    Enrolment.objects.update(status=Enrolment.Status.COMPLETED)
    assert remind_learners(today=MONDAY) == 0
    Enrolment.objects.update(status=Enrolment.Status.ASSIGNED)
    new_hire.is_active = False
    new_hire.save()
    assert remind_learners(today=MONDAY) == 0
    assert not Notification.objects.filter(verb="training.due").exists()


def test_managers_get_one_weekly_summary(due_items, new_hire, employee):
    manager, _items = due_items
    UserFactory(display_name="Idle Manager")   # no reports: never summarised
    employee.manager = UserFactory(display_name="Other Manager")
    employee.save()                              # a report with nothing overdue

    def summaries():
        return [(n.recipient_id, n.title)
                for n in Notification.objects.filter(verb="training.team_overdue")]

    assert remind_managers(today=MONDAY) == 1
    assert remind_managers(today=MONDAY) == 0
    assert summaries() == [(manager.pk, "1 onboarding module(s) overdue in your team")]
    # Later the same week: no second summary.
    assert remind_managers(today="2026-11-25") == 0
    assert remind_managers(today="2026-11-29") == 0
    assert len(summaries()) == 1
    # Next week: a new summary, counting what is overdue by then.
    assert remind_managers(today="2026-11-30") == 1
    assert sorted(summaries()) == [(manager.pk, "1 onboarding module(s) overdue in your team"),
                                   (manager.pk, "2 onboarding module(s) overdue in your team")]


@pytest.mark.parametrize("task", [remind_learners, remind_managers])
def test_a_reminder_is_recorded_only_with_its_notification(task, due_items, new_hire,
                                                           monkeypatch):
    """A reminder is recorded by its notification (once_key): if the notification cannot
    be created, nothing is recorded, so the next run sends it. (The task only calls the
    service, which creates the notification.)"""
    import training.services

    def broken(**kwargs):
        raise RuntimeError("database hiccup")

    monkeypatch.setattr(training.services, "notification_create", broken)
    with pytest.raises(RuntimeError):
        task(today=MONDAY)
    assert not Notification.objects.filter(verb__startswith="training.").exists()
    monkeypatch.undo()
    assert task(today=MONDAY) >= 1
    assert not Notification.objects.filter(verb__startswith="training.", once_key="").exists()
