"""The review pipeline reads the programme settings (people.ProgrammeSettings): the public
holidays and the default response target for open stages without one of their own."""

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from ideas import selectors, services
from ideas.models import Idea, Stage
from people.models import ProgrammeSettings
from tests.ideas.factories import IdeaFactory

pytestmark = pytest.mark.django_db


def entered(idea, when):
    Idea.objects.filter(pk=idea.pk).update(stage_entered_at=when)
    idea.refresh_from_db()
    return idea


def save_settings(**values):
    row = ProgrammeSettings.load()
    for name, value in values.items():
        setattr(row, name, value)
    row.full_clean()
    row.save()


def test_a_holiday_saved_by_an_admin_moves_the_due_date(settings):
    settings.WEEKEND_DAYS = {5, 6}
    settings.HOLIDAYS = set()
    friday = timezone.make_aware(datetime(2026, 3, 6, 16, 0))
    idea = entered(IdeaFactory(), friday)  # Submitted: 2 working days
    assert selectors.waiting(idea, date(2026, 3, 10)) == {
        "days": 2, "due": date(2026, 3, 10), "overdue": False}
    save_settings(holidays="2026-03-09")
    assert selectors.waiting(idea, date(2026, 3, 10)) == {
        "days": 1, "due": date(2026, 3, 11), "overdue": False}
    assert not Idea.objects.filter(selectors.overdue_q(date(2026, 3, 11))).exists()
    assert list(Idea.objects.filter(selectors.overdue_q(date(2026, 3, 12)))) == [idea]


def test_open_stages_without_a_target_take_the_programme_default(settings):
    settings.WEEKEND_DAYS = {5, 6}
    settings.HOLIDAYS = set()
    Stage.objects.filter(kind=Stage.Kind.OPEN).update(response_target_days=None)
    monday = timezone.make_aware(datetime(2026, 3, 2, 9, 0))
    idea = entered(IdeaFactory(), monday)
    thursday = date(2026, 3, 5)
    assert selectors.waiting(idea, thursday) == {"days": 3, "due": None, "overdue": False}
    assert not Idea.objects.filter(selectors.overdue_q(thursday)).exists()

    save_settings(review_response_target_days=2)
    assert selectors.waiting(idea, thursday) == {
        "days": 3, "due": date(2026, 3, 4), "overdue": True}
    assert list(Idea.objects.filter(selectors.overdue_q(thursday))) == [idea]
    # A closed stage never takes the default.
    closed = Stage.objects.filter(kind=Stage.Kind.DECLINED).first()
    assert selectors.stage_target(closed, 2) == closed.response_target_days


def test_overdue_reminders_are_a_service(reviewer):
    idea = entered(IdeaFactory(assignee=reviewer),
                   timezone.now() - timedelta(days=30))
    assert idea.assignee == reviewer
    assert services.idea_send_overdue_reminders(today=timezone.localdate()) == 1
    assert services.idea_send_overdue_reminders(today=timezone.localdate()) == 0


def test_accepted_kinds_are_spelled_once():
    assert Stage.ACCEPTED_KINDS == {Stage.Kind.ACCEPTED, Stage.Kind.IN_PROGRESS,
                                    Stage.Kind.IMPLEMENTED}
    assert Stage.UNDER_WAY_KINDS < Stage.ACCEPTED_KINDS <= Stage.DECIDED_KINDS
    assert Stage(kind=Stage.Kind.IMPLEMENTED).is_accepted
    assert not Stage(kind=Stage.Kind.DECLINED).is_accepted
