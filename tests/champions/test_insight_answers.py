"""Insights that get an answer: an owner (the department's champion), a status, and a
target of 24 working hours; reminders, escalation and the dashboard's share."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from champions import services
from champions.models import Insight, InsightStatus
from notifications.models import Notification
from tests.champions.factories import InsightFactory, TermFactory, as_user
from tests.factories import DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db

TEXT = "Retirees call three times because the claim letter quotes clause numbers."


@pytest.fixture
def department():
    return DepartmentFactory(name="Claims")


@pytest.fixture
def owner(department):
    person = UserFactory(display_name="Chai Champion", department=department)
    TermFactory(person=person, department=department)
    return person


@pytest.fixture
def author(department):
    return UserFactory(display_name="Lee Logger", department=department)


def log_insight(author, text=TEXT):
    response = as_user(author).post("/champions/insights/", {"text": text,
                                                             "sentiment": "negative"})
    assert response.status_code == 302
    return Insight.objects.get(text=text)


def test_a_logged_insight_goes_to_its_departments_champion_with_a_24_hour_target(
        author, owner):
    before = timezone.now()
    insight = log_insight(author)
    assert insight.owner == owner and insight.status == InsightStatus.NEW
    assert insight.responded_at is None
    # 24 hours with the clock stopped on weekends: at least a day, at most four.
    assert timedelta(hours=24) <= insight.respond_by - before <= timedelta(days=4)
    told = Notification.objects.get(verb="champions.insight_assigned")
    assert told.recipient == owner and told.title.startswith(
        "A customer insight is yours to answer by")
    page = as_user(owner).get("/champions/insights/queue/").content.decode()
    assert TEXT[:60] in page


def test_without_a_champion_the_programme_admins_answer_it(employee, programme_admin):
    insight = log_insight(employee)
    assert insight.owner is None
    assert not Notification.objects.filter(verb="champions.insight_assigned").exists()
    page = as_user(programme_admin).get("/champions/insights/queue/?owner=unowned")
    assert TEXT[:60] in page.content.decode()
    # Nobody else lists other people's insights.
    assert as_user(employee).get("/champions/insights/queue/?owner=all").status_code == 403
    assert as_user(employee).get("/champions/insights/queue/?owner=bogus").status_code == 400


def test_the_owner_acknowledges_it_in_time_and_the_person_who_logged_it_hears(author, owner):
    insight = log_insight(author)
    mail.outbox.clear()
    response = as_user(owner).post(f"/champions/insights/{insight.pk}/",
                                   {"status": "acknowledged", "note": "Calling them today."})
    assert response.status_code == 302
    insight.refresh_from_db()
    assert insight.status == InsightStatus.ACKNOWLEDGED and insight.answered_in_time is True
    told = Notification.objects.get(verb="champions.insight_answered")
    assert told.recipient == author
    assert told.title == "Your customer insight is now “acknowledged” (Chai Champion)"
    assert told.body == "Calling them today."
    page = as_user(author).get(f"/champions/insights/{insight.pk}/").content.decode()
    assert "Answered within the target" in page and "Calling them today." in page


def test_acting_on_or_closing_needs_a_note_and_changes_nothing_without_one(author, owner):
    insight = log_insight(author)
    response = as_user(owner).post(f"/champions/insights/{insight.pk}/",
                                   {"status": "acted_on", "note": "  "})
    assert response.status_code == 400
    assert "Say what was done" in response.content.decode()
    insight.refresh_from_db()
    assert insight.status == InsightStatus.NEW and insight.responded_at is None
    assert not insight.updates.exists()


def test_a_closed_insight_cannot_be_reopened(author, owner):
    insight = log_insight(author)
    services.insight_answer(insight=insight, actor=owner, status="closed",
                            note="Letter rewritten.")
    # Closed: no answer form, and a posted answer is refused.
    page = as_user(owner).get(f"/champions/insights/{insight.pk}/").content.decode()
    assert 'name="status"' not in page
    assert as_user(owner).post(f"/champions/insights/{insight.pk}/",
                               {"status": "acknowledged"}).status_code == 403
    with pytest.raises(PermissionDenied):
        services.insight_answer(insight=insight, actor=owner, status="acknowledged")


def test_a_status_the_insight_cannot_move_to_is_refused_with_a_message(author, owner):
    insight = log_insight(author)
    services.insight_answer(insight=insight, actor=owner, status="acted_on", note="Fixed.")
    response = as_user(owner).post(f"/champions/insights/{insight.pk}/",
                                   {"status": "acknowledged"})
    assert response.status_code == 400
    insight.refresh_from_db()
    assert insight.status == InsightStatus.ACTED_ON


def test_only_its_owner_a_co_champion_or_a_manager_answers(author, owner, department,
                                                           employee, programme_admin):
    insight = log_insight(author)
    assert as_user(employee).post(f"/champions/insights/{insight.pk}/",
                                  {"status": "acknowledged"}).status_code == 403
    assert as_user(author).post(f"/champions/insights/{insight.pk}/",
                                {"status": "acknowledged"}).status_code == 403
    insight.refresh_from_db()
    assert insight.status == InsightStatus.NEW
    co_champion = UserFactory(department=department)
    TermFactory(person=co_champion, department=department)
    assert as_user(co_champion).post(f"/champions/insights/{insight.pk}/",
                                     {"status": "acknowledged"}).status_code == 302


def test_the_note_is_shown_as_text(author, owner):
    insight = log_insight(author)
    as_user(owner).post(f"/champions/insights/{insight.pk}/",
                        {"status": "acted_on", "note": "<script>alert(1)</script>"})
    page = as_user(author).get(f"/champions/insights/{insight.pk}/").content.decode()
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page


def test_the_owner_hands_it_over_and_the_new_owner_hears(author, owner, employee):
    insight = log_insight(author)
    response = as_user(owner).post(f"/champions/insights/{insight.pk}/reassign/",
                                   {"reassign-owner": employee.pk,
                                    "reassign-note": "You run the letters."})
    assert response.status_code == 302
    insight.refresh_from_db()
    assert insight.owner == employee
    assert Notification.objects.filter(verb="champions.insight_assigned",
                                       recipient=employee).exists()
    assert TEXT[:60] in as_user(employee).get("/champions/insights/queue/").content.decode()
    # The former owner no longer may hand it on; a bad person id is refused.
    assert as_user(owner).post(f"/champions/insights/{insight.pk}/reassign/",
                               {"reassign-owner": owner.pk}).status_code == 403
    bad = as_user(employee).post(f"/champions/insights/{insight.pk}/reassign/",
                                 {"reassign-owner": "abc"})
    assert bad.status_code == 400
    insight.refresh_from_db()
    assert insight.owner == employee


def test_turning_it_into_an_idea_answers_it(author, owner):
    from ideas.models import Idea
    from tests.ideas.factories import IdeaFactory

    insight = log_insight(author)
    idea = IdeaFactory(submitter=owner, status=Idea.Status.SUBMITTED)
    services.insight_link_idea(insight=insight, idea=idea, actor=owner)
    insight.refresh_from_db()
    assert insight.status == InsightStatus.IDEA and insight.answered_in_time is True


def test_the_clock_reminds_the_owner_once_and_escalates_once(author, owner, programme_admin):
    insight = log_insight(author)
    answered = log_insight(author, text="Another customer wants e-mail, not letters.")
    services.insight_answer(insight=answered, actor=owner, status="acknowledged")
    due = insight.respond_by
    Insight.objects.filter(pk=answered.pk).update(respond_by=due)

    assert services.insight_run_clock(now=due - timedelta(hours=5)) == {
        "reminded": 0, "escalated": 0}
    assert services.insight_run_clock(now=due - timedelta(hours=3))["reminded"] == 1
    assert services.insight_run_clock(now=due - timedelta(hours=2))["reminded"] == 0
    reminder = Notification.objects.get(verb="champions.insight_due")
    assert reminder.recipient == owner

    assert services.insight_run_clock(now=due + timedelta(minutes=1))["escalated"] == 1
    assert services.insight_run_clock(now=due + timedelta(hours=2))["escalated"] == 0
    escalated = set(Notification.objects.filter(verb="champions.insight_overdue")
                    .values_list("recipient", flat=True))
    assert escalated == {programme_admin.pk, owner.pk}
    # A week later the clock leaves it alone (it shows in the queue as overdue).
    assert services.insight_run_clock(now=due + timedelta(days=8)) == {
        "reminded": 0, "escalated": 0}


def test_an_unowned_insight_reminds_the_programme_admins(employee, programme_admin):
    insight = log_insight(employee)
    services.insight_run_clock(now=insight.respond_by - timedelta(hours=1))
    assert Notification.objects.get(verb="champions.insight_due").recipient == programme_admin


def test_the_dashboard_shows_the_share_answered_within_24_hours(author, owner,
                                                                programme_admin):
    in_time = log_insight(author)
    services.insight_answer(insight=in_time, actor=owner, status="acknowledged")
    late = log_insight(author, text="Customers cannot find the claim number.")
    Insight.objects.filter(pk=late.pk).update(respond_by=timezone.now() - timedelta(hours=1))
    log_insight(author, text="The app logs people out too often.")  # clock still running
    client = as_user(programme_admin)
    page = client.get("/dashboard/?refresh=1").content.decode()
    assert "Customer insights answered within 24 hours" in page
    assert "50%" in page
    csv = client.get("/dashboard/?export=insights").content.decode("utf-8-sig")
    assert csv.splitlines()[0].startswith("department,insights logged")
    assert "Claims,3,1,1,1,50" in csv


def test_the_queue_costs_the_same_for_3_or_30_insights(owner, department):
    def count():
        with CaptureQueriesContext(connection) as queries:
            assert as_user(owner).get("/champions/insights/queue/").status_code == 200
        return len(queries)

    for _ in range(3):
        InsightFactory(owner=owner, department=department,
                       respond_by=timezone.now() + timedelta(hours=3))
    few = count()
    for _ in range(27):
        InsightFactory(owner=owner, department=department,
                       respond_by=timezone.now() + timedelta(hours=3))
    assert count() == few
