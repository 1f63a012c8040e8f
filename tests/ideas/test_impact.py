"""Measured impact: an implemented idea's owner records baseline, target and result on
its metric; values are checked per metric; "Impact measured" needs them."""

from datetime import date, datetime, time

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from ideas import services
from ideas.models import Idea, ImpactMeasurement
from tests.champions.factories import as_user
from tests.factories import UserFactory
from tests.ideas.factories import IdeaFactory, move, stage

pytestmark = pytest.mark.django_db

FIGURES = {"unit": "score", "baseline": "3.40", "target": "4.00", "measured": "4.20",
           "measured_on": "2026-11-20", "method": "Post-call survey, 400 answers each",
           "evidence": "Survey export attached to the ticket."}


@pytest.fixture
def implemented(reviewer):
    owner = UserFactory(display_name="Olga Owner")
    idea = IdeaFactory(title="Call back before noon", metric="csat")
    move(idea, "Triage", "Accepted", actor=reviewer)
    services.idea_set_sponsor(idea=Idea.objects.get(pk=idea.pk), sponsor=owner, actor=reviewer)
    move(Idea.objects.get(pk=idea.pk), "In progress", "Implemented", actor=reviewer)
    return Idea.objects.get(pk=idea.pk), owner


def test_the_owner_records_impact_and_the_idea_page_shows_before_and_after(implemented):
    idea, owner = implemented
    client = as_user(owner)
    response = client.post(f"/ideas/{idea.pk}/impact/", FIGURES, follow=True)
    assert "The measured impact was saved." in response.content.decode()
    impact = ImpactMeasurement.objects.get(idea=idea)
    assert (str(impact.baseline), str(impact.measured), impact.metric) == ("3.40", "4.20",
                                                                          "csat")
    page = client.get(f"/ideas/{idea.pk}/").content.decode()
    assert "3.4" in page and "4.2" in page and "Post-call survey" in page


@pytest.mark.parametrize("change, said", [
    ({"baseline": "6"}, "runs from 1 to 5"),
    ({"measured": "-1"}, "runs from 1 to 5"),
    ({"unit": "percent", "measured": "120"}, "runs from 0 to 100"),
    ({"measured": "abc"}, "Enter a number"),
    ({"measured_on": "2026-13-40"}, "Enter a valid date"),
    ({"method": ""}, "This field is required"),
    ({"method": "x" * 1001}, "at most 1000"),
])
def test_bad_figures_get_a_message_and_nothing_is_saved(implemented, change, said):
    idea, owner = implemented
    response = as_user(owner).post(f"/ideas/{idea.pk}/impact/", {**FIGURES, **change},
                                   follow=True)
    assert said in response.content.decode()
    assert not ImpactMeasurement.objects.exists()


@pytest.mark.parametrize("metric, unit, value, ok", [
    ("nps", "score", -100, True), ("nps", "score", 101, False), ("nps", "percent", 50, False),
    ("ces", "score", 7, True), ("ces", "score", 8, False), ("churn", "percent", 12, True),
    ("churn", "score", 3, False), ("fcr", "percent", 100, True),
])
def test_each_metric_has_its_scale(reviewer, metric, unit, value, ok):
    idea = IdeaFactory(metric=metric)
    move(idea, "Triage", "Accepted", "In progress", "Implemented", actor=reviewer)
    admin = UserFactory(roles=["Programme admin"])
    record = lambda: services.impact_record(  # noqa: E731
        idea=Idea.objects.get(pk=idea.pk), actor=admin, unit=unit, baseline=value,
        measured=value, measured_on=date(2026, 11, 1), method="Survey")
    if ok:
        record()
    else:
        with pytest.raises(ValidationError):
            record()
        assert not ImpactMeasurement.objects.exists()


def test_the_database_refuses_out_of_range_figures_too(implemented):
    idea, _owner = implemented
    with pytest.raises(IntegrityError), transaction.atomic():
        ImpactMeasurement.objects.create(idea=idea, metric="nps", unit="score", baseline=0,
                                         measured=300, measured_on=date(2026, 11, 1),
                                         method="m")


def test_only_the_owner_or_a_programme_admin_records_it(implemented, employee, reviewer):
    idea, _owner = implemented
    for person in (employee, reviewer):
        response = as_user(person).post(f"/ideas/{idea.pk}/impact/", FIGURES)
        assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        services.impact_record(idea=idea, actor=employee, **{
            **FIGURES, "measured_on": date(2026, 11, 20)})
    assert not ImpactMeasurement.objects.exists()


def test_an_idea_not_implemented_takes_no_figures(reviewer):
    owner = UserFactory()
    idea = IdeaFactory(metric="csat")
    move(idea, "Triage", "Accepted", actor=reviewer)
    services.idea_set_sponsor(idea=Idea.objects.get(pk=idea.pk), sponsor=owner, actor=reviewer)
    response = as_user(owner).post(f"/ideas/{idea.pk}/impact/", FIGURES, follow=True)
    assert "once an idea is implemented" in response.content.decode()
    assert not ImpactMeasurement.objects.exists()


def test_impact_measured_needs_the_figures(implemented, reviewer):
    idea, owner = implemented
    with pytest.raises(ValidationError, match="Record the idea's measured impact"):
        services.idea_transition(idea=idea, to_stage=stage("Impact measured"), actor=reviewer)
    assert Idea.objects.get(pk=idea.pk).stage.name_en == "Implemented"
    services.impact_record(idea=idea, actor=owner, **{**FIGURES, "measured_on":
                                                      date(2026, 11, 20)})
    services.idea_transition(idea=Idea.objects.get(pk=idea.pk),
                             to_stage=stage("Impact measured"), actor=reviewer)
    assert Idea.objects.get(pk=idea.pk).stage.name_en == "Impact measured"


def test_the_demo_records_impact_before_impact_measured(client):
    import os

    from django.core.management import call_command

    call_command("seed_demo", stdout=open(os.devnull, "w"))
    idea = Idea.objects.get(title="Plain-language claim letters for retirees")
    assert idea.stage.name_en == "Impact measured"
    assert (str(idea.impact.baseline), str(idea.impact.measured)) == ("3.40", "4.20")


# --- The reminder after implementation ----------------------------------------------------


def _implemented_on(idea, day):
    Idea.objects.filter(pk=idea.pk).update(
        stage_entered_at=timezone.make_aware(datetime.combine(day, time(10))))


def test_the_owner_is_asked_for_the_impact_once_the_working_days_have_passed(
        implemented, settings):
    from notifications.models import Notification

    settings.IMPACT_REMINDER_WORKING_DAYS = 5
    idea, owner = implemented
    _implemented_on(idea, date(2026, 11, 23))  # a Monday
    # Friday 27 November: four working days have passed, not five.
    assert services.impact_send_reminders(today=date(2026, 11, 27)) == 0
    assert services.impact_send_reminders(today=date(2026, 11, 30)) == 1
    assert services.impact_send_reminders(today=date(2026, 12, 1)) == 0  # once
    sent = Notification.objects.get(verb="ideas.impact_due")
    assert sent.recipient == owner
    assert "Call back before noon" in sent.title
    assert sent.link.endswith(f"/ideas/{idea.pk}/#impact")


def test_no_reminder_once_recorded_and_none_when_switched_off(implemented, settings):
    from people.models import ProgrammeSettings

    idea, owner = implemented
    _implemented_on(idea, date(2026, 1, 5))
    row = ProgrammeSettings.load()
    row.impact_reminder_days = None
    row.save()
    assert services.impact_send_reminders(today=date(2026, 11, 30)) == 0
    row.impact_reminder_days = 5
    row.save()
    services.impact_record(idea=idea, actor=owner, **{**FIGURES, "measured_on": date(2026, 11, 20)})
    assert services.impact_send_reminders(today=date(2026, 11, 30)) == 0


def test_without_an_owner_the_programme_admins_are_asked(reviewer, programme_admin, settings):
    from notifications.models import Notification

    settings.IMPACT_REMINDER_WORKING_DAYS = 5
    idea = IdeaFactory(title="Nobody owns this", metric="csat")
    move(idea, "Triage", "Accepted", "In progress", "Implemented", actor=reviewer)
    _implemented_on(idea, date(2026, 11, 2))
    assert services.impact_send_reminders(today=date(2026, 11, 30)) >= 1
    assert Notification.objects.filter(verb="ideas.impact_due",
                                       recipient=programme_admin).exists()
