"""Campaigns: a question open for ideas between two dates to an audience; ideas are
submitted to it, the campaign page shows them, filters find them, home offers it."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ideas.models import CampaignPage, Idea
from ideas.setup import ensure_campaign_index
from people import roles
from people.models import Department
from tests.champions.factories import as_user
from tests.factories import UserFactory
from tests.ideas.factories import CustomerSegmentFactory, IdeaFactory, move

pytestmark = pytest.mark.django_db


def campaign(*, opens=-5, closes=10, departments=(), audience_roles=(), title="Moving",
             question="How might we make claims easier for families on the move?"):
    today = timezone.localdate()
    page = ensure_campaign_index().add_child(instance=CampaignPage(
        title=title, question=question, opens_on=today + timedelta(days=opens),
        closes_on=today + timedelta(days=closes)))
    page.audience_departments.set(departments)
    from django.contrib.auth.models import Group

    page.audience_roles.set(Group.objects.filter(name__in=audience_roles))
    page.save_revision().publish()
    return CampaignPage.objects.get(pk=page.pk)


def idea_data(segment, **extra):
    return {"title": "A checklist that moves with you", "problem": "Every move means new "
            "forms.", "delight": "One list, done once.", "customer_segment": segment.pk,
            "metric": "nps", "submit": "1", **extra}


def test_an_idea_submitted_to_an_open_campaign_is_listed_on_its_page(employee_client):
    segment = CustomerSegmentFactory()
    moving = campaign()
    form = employee_client.get(f"/ideas/new/?campaign={moving.pk}").content.decode()
    assert moving.question in form
    assert f'<option value="{moving.pk}" selected' in form
    response = employee_client.post("/ideas/new/", idea_data(segment, campaign=moving.pk))
    assert response.status_code == 302
    idea = Idea.objects.get(title="A checklist that moves with you")
    assert idea.campaign == moving and idea.status == Idea.Status.SUBMITTED
    page = employee_client.get(moving.url).content.decode()
    assert "A checklist that moves with you" in page
    assert "1 idea in all" in page


@pytest.mark.parametrize("opens, closes, said", [
    (-10, -1, "closed on"), (2, 10, "opens on"),
])
def test_a_closed_or_future_campaign_refuses_ideas_and_nothing_is_created(
        employee, opens, closes, said):
    from ideas import services

    segment = CustomerSegmentFactory()
    shut = campaign(opens=opens, closes=closes)
    with pytest.raises(Exception) as refused:
        services.idea_save_draft(actor=employee, title="Late", problem="p", delight="d",
                                 customer_segment=segment, metric="nps", campaign=shut)
    assert said in str(refused.value)
    assert not Idea.objects.filter(title="Late").exists()
    # Through the form, the closed campaign is not even a choice.
    response = as_user(employee).post("/ideas/new/", idea_data(segment, campaign=shut.pk))
    assert response.status_code == 400
    assert not Idea.objects.filter(title="A checklist that moves with you").exists()


def test_a_draft_saved_while_open_cannot_be_submitted_after_closing(employee):
    from ideas import services

    segment = CustomerSegmentFactory()
    moving = campaign()
    draft = services.idea_save_draft(actor=employee, title="Draft", problem="p", delight="d",
                                     customer_segment=segment, metric="nps", campaign=moving)
    CampaignPage.objects.filter(pk=moving.pk).update(
        closes_on=timezone.localdate() - timedelta(days=1))
    with pytest.raises(Exception, match="closed on"):
        services.idea_submit(idea=Idea.objects.get(pk=draft.pk), actor=employee)
    assert Idea.objects.get(pk=draft.pk).status == Idea.Status.DRAFT


def test_the_audience_decides_who_may_answer_and_who_sees_it_at_home(employee, client):
    claims, sales = Department.objects.create(name_en="Claims"), Department.objects.create(
        name_en="Sales")
    reviewers_only = campaign(audience_roles=[roles.REVIEWER], title="Reviewers")
    claims_only = campaign(departments=[claims], title="Claims",
                           question="How might claims be faster?")
    in_claims = UserFactory(department=claims)
    in_sales = UserFactory(department=sales)
    reviewer = UserFactory(department=sales, roles=[roles.REVIEWER])
    home = as_user(in_claims).get("/").content.decode()
    assert "How might claims be faster?" in home
    assert reviewers_only.question not in home
    assert "How might claims be faster?" not in as_user(in_sales).get("/").content.decode()
    assert reviewers_only.question in as_user(reviewer).get("/").content.decode()
    from ideas import services

    with pytest.raises(Exception, match="asks other departments"):
        services.idea_save_draft(actor=in_sales, title="Not mine", problem="p", delight="d",
                                 customer_segment=CustomerSegmentFactory(), metric="nps",
                                 campaign=claims_only)


def test_the_idea_list_and_queue_filter_by_campaign(reviewer, employee_client):
    moving = campaign()
    inside = IdeaFactory(title="Inside the campaign", campaign=moving)
    IdeaFactory(title="Outside the campaign")
    for client, url in ((employee_client, "/ideas/"), (as_user(reviewer), "/ideas/queue/")):
        page = client.get(url, {"campaign": moving.pk}).content.decode()
        assert inside.title in page and "Outside the campaign" not in page, url
    export = employee_client.get("/ideas/export.csv", {"campaign": moving.pk})
    body = b"".join(export.streaming_content if export.streaming else [export.content])
    assert b"Inside the campaign" in body and b"Outside the campaign" not in body
    assert employee_client.get("/ideas/", {"campaign": "x"}).status_code == 400


def test_the_campaign_page_costs_the_same_queries_with_more_ideas(employee_client, reviewer):
    moving = campaign()

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert employee_client.get(moving.url).status_code == 200
        return len(captured)

    IdeaFactory(campaign=moving)
    queries()  # the first request also reads the site, kept afterwards
    few = queries()
    for _ in range(8):
        move(IdeaFactory(campaign=moving), "Triage", actor=reviewer)
    assert queries() == few


def test_confidential_ideas_stay_off_the_campaign_page_for_others(employee_client):
    moving = campaign()
    IdeaFactory(title="Secret claim idea", campaign=moving, confidential=True)
    assert "Secret claim idea" not in employee_client.get(moving.url).content.decode()


def test_the_demo_has_an_open_campaign_with_its_ideas(client):
    import os

    from django.core.management import call_command

    from ideas.demo import CAMPAIGN_IDEAS, CAMPAIGN_TITLE
    from people.models import User

    call_command("seed_demo", stdout=open(os.devnull, "w"))
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # a second run adds nothing
    demo = CampaignPage.objects.get(title=CAMPAIGN_TITLE)
    assert demo.is_open()
    assert set(Idea.objects.filter(campaign=demo).values_list("title", flat=True)) \
        == CAMPAIGN_IDEAS
    client.force_login(User.objects.get(email="employee@example.com"))
    assert demo.question in client.get("/").content.decode()


def test_publishing_an_open_campaign_tells_its_audience_once(
        django_capture_on_commit_callbacks, mailoutbox):
    from django.utils import translation

    from notifications.models import Notification

    claims = Department.objects.create(name_en="Claims")
    thai = UserFactory(department=claims, preferred_language="th")
    UserFactory(department=Department.objects.create(name_en="Sales"))
    with django_capture_on_commit_callbacks(execute=True):
        moving = campaign(departments=[claims])
    with django_capture_on_commit_callbacks(execute=True):
        moving.save_revision().publish()  # published again: nobody hears twice
    told = Notification.objects.filter(verb="ideas.campaign_launched")
    assert list(told.values_list("recipient", flat=True)) == [thai.pk]
    assert [m.to for m in mailoutbox] == [[thai.email]]
    with translation.override("th"):
        assert told.get().title == f"แคมเปญขอไอเดียจากคุณ: “{moving.question}”"


def test_the_daily_job_announces_reminds_and_tells_contributors_of_results(settings):
    from ideas import services
    from notifications.models import Notification

    settings.CAMPAIGN_CLOSING_REMINDER_DAYS = 3
    today = timezone.localdate()
    answered, quiet = UserFactory(), UserFactory()
    moving = campaign(opens=-1, closes=3)
    IdeaFactory(submitter=answered, campaign=moving)
    for _ in range(2):  # run twice: each person hears each thing once
        services.campaigns_daily(today=today)
    verbs = dict(Notification.objects.filter(recipient=quiet).values_list("verb", "once_key"))
    assert set(verbs) == {"ideas.campaign_launched", "ideas.campaign_closing"}
    assert not Notification.objects.filter(recipient=answered, verb="ideas.campaign_closing")
    # After closing, the sponsor's results reach the contributors, once.
    CampaignPage.objects.filter(pk=moving.pk).update(
        results="<p>We accepted the checklist.</p>")
    later = today + timedelta(days=5)
    for _ in range(2):
        services.campaigns_daily(today=later)
    results = Notification.objects.filter(verb="ideas.campaign_results")
    assert list(results.values_list("recipient", flat=True)) == [answered.pk]


def test_results_are_not_announced_before_closing_or_when_empty():
    from ideas import services

    moving = campaign()
    CampaignPage.objects.filter(pk=moving.pk).update(results="<p>Early</p>")
    assert services.campaign_announce_results(
        campaign=CampaignPage.objects.get(pk=moving.pk)) == 0
    shut = campaign(opens=-10, closes=-1, title="Shut", question="Closed question?")
    assert services.campaign_announce_results(campaign=shut) == 0


def test_the_dashboard_counts_each_campaigns_ideas(programme_admin, reviewer):
    moving = campaign()
    accepted = IdeaFactory(campaign=moving)
    move(accepted, "Triage", "Accepted", actor=reviewer)
    IdeaFactory(campaign=moving)
    IdeaFactory()  # not in a campaign
    client = as_user(programme_admin)
    page = client.get("/dashboard/", {"refresh": "1"}).content.decode()
    assert "Moving" in page
    export = client.get("/dashboard/", {"export": "campaigns"})
    lines = export.content.decode("utf-8-sig").splitlines()
    assert lines == ["campaign,ideas,decided,accepted,implemented", "Moving,2,1,1,0"]
