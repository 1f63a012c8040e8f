"""Recognition: the submitter invites co-authors, who accept (and are credited) or
decline; anyone who may see an idea thanks its contributors, who are told."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from ideas import services
from ideas.models import Contributor, ThankYou
from notifications.models import Notification
from tests.champions.factories import as_user
from tests.factories import UserFactory
from tests.ideas.factories import IdeaFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def idea():
    return IdeaFactory(title="Call back before noon",
                       submitter=UserFactory(display_name="Sara Submitter"))


@pytest.fixture
def colleague():
    return UserFactory(display_name="Carl Colleague")


def _invite_through_the_page(idea, colleague):
    return as_user(idea.submitter).post(f"/ideas/{idea.pk}/coauthors/",
                                        {"person": colleague.email}, follow=True)


def test_an_invited_colleague_accepts_and_is_credited_on_the_idea(idea, colleague):
    page = _invite_through_the_page(idea, colleague).content.decode()
    assert "Carl Colleague is invited" in page
    invitation = Notification.objects.get(verb="ideas.coauthor_invited", recipient=colleague)
    assert invitation.title == "Sara Submitter invites you to co-author “Call back before noon”"

    contribution = Contributor.objects.get(idea=idea, person=colleague)
    client = as_user(colleague)
    page = client.get(f"/ideas/{idea.pk}/").content.decode()
    assert "invites you to co-author this idea" in page
    page = client.post(f"/ideas/coauthors/{contribution.pk}/answer/", {"answer": "accept"},
                       follow=True).content.decode()
    assert "You are now credited as a co-author." in page
    assert "Submitted by Sara Submitter with" in page and "Carl Colleague" in page
    told = Notification.objects.get(verb="ideas.coauthor_answered", recipient=idea.submitter)
    assert told.title == "Carl Colleague is now a co-author of “Call back before noon”"
    # The co-author follows the idea, so they hear of its decisions.
    assert idea.follows.filter(user=colleague).exists()


def test_a_declined_invitation_is_not_repeated(idea, colleague):
    contribution = services.idea_coauthor_invite(idea=idea, person=colleague,
                                                 actor=idea.submitter)
    as_user(colleague).post(f"/ideas/coauthors/{contribution.pk}/answer/",
                            {"answer": "decline"})
    assert Contributor.objects.get(pk=contribution.pk).status == "declined"
    page = _invite_through_the_page(idea, colleague).content.decode()
    assert "declined to be a co-author of this idea and is not asked again" in page
    assert Contributor.objects.filter(idea=idea).count() == 1


@pytest.mark.parametrize("data, said", [
    ({"person": "nobody@example.com"}, "Nobody active here has the e-mail address"),
    ({"person": ""}, "This field is required"),
    ({"person": "<script>alert(1)</script>"}, "Select a valid choice"),
])
def test_bad_invitations_get_a_message_and_change_nothing(idea, data, said):
    response = as_user(idea.submitter).post(f"/ideas/{idea.pk}/coauthors/", data, follow=True)
    assert said in response.content.decode()
    assert "<script>alert(1)</script>" not in response.content.decode()
    assert not Contributor.objects.exists()


def test_only_the_submitter_invites_and_only_the_invitee_answers(idea, colleague, employee):
    assert as_user(employee).post(f"/ideas/{idea.pk}/coauthors/",
                                  {"person": colleague.email}).status_code == 403
    with pytest.raises(PermissionDenied):
        services.idea_coauthor_invite(idea=idea, person=colleague, actor=employee)
    contribution = services.idea_coauthor_invite(idea=idea, person=colleague,
                                                 actor=idea.submitter)
    assert as_user(employee).post(f"/ideas/coauthors/{contribution.pk}/answer/",
                                  {"answer": "accept"}).status_code == 403
    assert Contributor.objects.get(pk=contribution.pk).status == "invited"


def test_nobody_is_invited_to_a_confidential_idea_they_may_not_see(colleague):
    secret = IdeaFactory(confidential=True)
    with pytest.raises(ValidationError, match="cannot see this confidential idea"):
        services.idea_coauthor_invite(idea=secret, person=colleague, actor=secret.submitter)


def test_an_idea_has_at_most_five_co_authors_and_one_row_per_person(idea):
    for _ in range(services.MAX_COAUTHORS):
        services.idea_coauthor_invite(idea=idea, person=UserFactory(), actor=idea.submitter)
    with pytest.raises(ValidationError, match="at most 5 co-authors"):
        services.idea_coauthor_invite(idea=idea, person=UserFactory(), actor=idea.submitter)
    first = Contributor.objects.filter(idea=idea).first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Contributor.objects.create(idea=idea, person=first.person)


def test_the_submitter_takes_back_an_invitation_and_a_co_author_may_step_down(idea, colleague):
    contribution = services.idea_coauthor_invite(idea=idea, person=colleague,
                                                 actor=idea.submitter)
    as_user(idea.submitter).post(f"/ideas/coauthors/{contribution.pk}/remove/")
    assert not Contributor.objects.exists()
    contribution = services.idea_coauthor_invite(idea=idea, person=colleague,
                                                 actor=idea.submitter)
    services.idea_coauthor_answer(contribution=contribution, actor=colleague, accept=True)
    stranger = UserFactory()
    assert as_user(stranger).post(
        f"/ideas/coauthors/{contribution.pk}/remove/").status_code == 403
    as_user(colleague).post(f"/ideas/coauthors/{contribution.pk}/remove/")
    assert not Contributor.objects.exists()


# --- Thank-you notes ----------------------------------------------------------------


def test_a_colleague_thanks_the_contributors_who_are_told(idea, colleague, reviewer):
    contribution = services.idea_coauthor_invite(idea=idea, person=colleague,
                                                 actor=idea.submitter)
    services.idea_coauthor_answer(contribution=contribution, actor=colleague, accept=True)
    client = as_user(reviewer)
    page = client.post(f"/ideas/{idea.pk}/thanks/",
                       {"body": "Our callers noticed <b>at once</b>."},
                       follow=True).content.decode()
    assert "the contributors are told" in page
    assert "Our callers noticed &lt;b&gt;at once&lt;/b&gt;." in page
    told = set(Notification.objects.filter(verb="ideas.thanked")
               .values_list("recipient", flat=True))
    assert told == {idea.submitter_id, colleague.pk}


@pytest.mark.parametrize("body, said", [
    ("", "This field is required"),
    ("   ", "This field is required"),
    ("x" * 501, "at most 500 characters"),
])
def test_bad_notes_get_a_message_and_change_nothing(idea, employee, body, said):
    response = as_user(employee).post(f"/ideas/{idea.pk}/thanks/", {"body": body}, follow=True)
    assert said in response.content.decode()
    assert not ThankYou.objects.exists()


def test_one_note_per_person_and_none_to_oneself(idea, employee):
    services.idea_thank(idea=idea, actor=employee, body="Thank you!")
    page = as_user(employee).post(f"/ideas/{idea.pk}/thanks/", {"body": "Again!"},
                                  follow=True).content.decode()
    assert "You have already thanked the contributors of this idea." in page
    assert ThankYou.objects.count() == 1
    assert as_user(idea.submitter).post(f"/ideas/{idea.pk}/thanks/",
                                        {"body": "Me!"}).status_code == 403


def test_a_confidential_idea_cannot_be_thanked_by_someone_who_cannot_see_it(employee):
    secret = IdeaFactory(confidential=True)
    assert as_user(employee).post(f"/ideas/{secret.pk}/thanks/",
                                  {"body": "Hi"}).status_code == 404
    assert not ThankYou.objects.exists()


# --- Profile and recognition board ------------------------------------------------------


def _implemented(reviewer, *, submitter, baseline="3.4", measured="4.2", metric="csat",
                 confidential=False, title="Implemented idea"):
    from ideas.models import Idea, ImpactMeasurement
    from tests.ideas.factories import move

    idea = IdeaFactory(title=title, submitter=submitter, metric=metric,
                       confidential=confidential)
    move(idea, "Triage", "Accepted", "In progress", "Implemented", actor=reviewer)
    if measured is not None:
        ImpactMeasurement.objects.create(
            idea=idea, metric=metric, unit="score" if metric != "churn" else "percent",
            baseline=baseline, measured=measured, measured_on="2026-11-20", method="Survey")
    return Idea.objects.get(pk=idea.pk)


def test_the_profile_credits_implemented_ideas_with_their_impact_and_thanks(
        reviewer, colleague, employee):
    author = UserFactory(display_name="Ana Author")
    idea = _implemented(reviewer, submitter=author, title="Text before calling")
    contribution = services.idea_coauthor_invite(idea=idea, person=colleague, actor=author)
    services.idea_coauthor_answer(contribution=contribution, actor=colleague, accept=True)
    services.idea_thank(idea=idea, actor=employee, body="Fewer repeat calls already.")
    for person in (author, colleague):
        page = as_user(employee).get(f"/champions/people/{person.pk}/").content.decode()
        assert "Text before calling" in page
        assert "3.4 → <strong>4.2</strong>" in page
        assert "1 with a measured improvement" in page
        assert "Fewer repeat calls already." in page


def test_the_board_ranks_by_measured_improvement_never_by_submissions(reviewer, employee):
    prolific = UserFactory(display_name="Pat Prolific")
    for n in range(6):  # many submissions, nothing implemented
        IdeaFactory(submitter=prolific, title=f"Yet another idea {n}")
    measured = UserFactory(display_name="Mo Measured")
    _implemented(reviewer, submitter=measured)
    unmeasured = UserFactory(display_name="Una Unmeasured")
    _implemented(reviewer, submitter=unmeasured, measured=None, title="Not measured")
    _implemented(reviewer, submitter=unmeasured, measured=None, title="Not measured 2")
    worse = UserFactory(display_name="Wes Worse")
    # Churn went up: implemented, but no improvement.
    _implemented(reviewer, submitter=worse, metric="churn", baseline="10", measured="12")
    secret = UserFactory(display_name="Sid Secret")
    _implemented(reviewer, submitter=secret, confidential=True)

    page = as_user(employee).get("/ideas/recognition/").content.decode()
    assert page.index("Mo Measured") < page.index("Una Unmeasured") < page.index("Wes Worse")
    assert "Pat Prolific" not in page
    assert "Sid Secret" not in page  # a confidential idea is not on a board everyone sees
    assert "4 ideas implemented, 1 with a measured improvement" in page


def test_the_board_takes_a_period_and_refuses_a_bad_one(reviewer, employee):
    _implemented(reviewer, submitter=UserFactory(display_name="Mo Measured"))
    client = as_user(employee)
    page = client.get("/ideas/recognition/?start=2020-01-01&end=2020-12-31").content.decode()
    assert "Mo Measured" not in page
    response = client.get("/ideas/recognition/?start=2026-13-01")
    assert response.status_code == 400
    assert "Enter a valid date" in response.content.decode()
    response = client.get("/ideas/recognition/?start=2026-12-01&end=2026-01-01")
    assert "The end date is before the start date." in response.content.decode()


def test_the_board_costs_the_same_whatever_the_number_of_ideas(
        reviewer, employee, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = as_user(employee)
    _implemented(reviewer, submitter=UserFactory())
    with CaptureQueriesContext(connection) as few:
        client.get("/ideas/recognition/")
    for _ in range(4):
        idea = _implemented(reviewer, submitter=UserFactory())
        services.idea_coauthor_answer(
            contribution=services.idea_coauthor_invite(idea=idea, person=UserFactory(),
                                                       actor=idea.submitter),
            actor=Contributor.objects.latest("pk").person, accept=True)
    with CaptureQueriesContext(connection) as many:
        client.get("/ideas/recognition/")
    assert len(many) == len(few)
