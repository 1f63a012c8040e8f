"""A champion with an active term sponsors an accepted idea and becomes its owner; the
submitter is told; the idea and the champion's profile show it. Everyone else, and ideas
not accepted or already closed, are refused cleanly."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from wagtail.models import ModelLogEntry

from champions import services
from ideas.models import Follow
from notifications.models import Notification
from tests.factories import DepartmentFactory, UserFactory
from tests.ideas.factories import IdeaFactory, move

from .factories import TermFactory, as_user, days

pytestmark = pytest.mark.django_db


@pytest.fixture
def sponsor(db):
    person = UserFactory(display_name="Som Champion")
    TermFactory(person=person, department=DepartmentFactory(name="Claims"))
    return person


@pytest.fixture
def submitter(db):
    return UserFactory(display_name="Sam Submitter")


@pytest.fixture
def accepted(submitter, reviewer):
    return move(IdeaFactory(submitter=submitter, title="Call customers back"),
                "Triage", "Accepted", actor=reviewer)


def test_champion_sponsors_an_accepted_idea_from_its_page(accepted, sponsor, submitter):
    client = as_user(sponsor)
    page = client.get(accepted.get_absolute_url()).content.decode()
    assert "Sponsor this idea" in page
    response = client.post(f"/champions/ideas/{accepted.pk}/sponsor/", follow=True)
    assert response.redirect_chain[-1][0] == accepted.get_absolute_url()
    accepted.refresh_from_db()
    assert accepted.sponsor == sponsor
    page = response.content.decode()
    assert "You now sponsor this idea" in page
    assert "Sponsor this idea" not in page  # offered no more
    assert f'href="/champions/people/{sponsor.pk}/"' in page  # the idea shows its owner
    # The submitter is told; the sponsor follows the idea; the audit trail has it.
    note = Notification.objects.get(recipient=submitter, verb="ideas.champion_sponsor")
    assert "Som Champion" in note.title and note.link == accepted.get_absolute_url()
    assert Follow.objects.filter(idea=accepted, user=sponsor).exists()
    assert ModelLogEntry.objects.filter(action="ideas.sponsor", user=sponsor).exists()
    # The champion's profile lists it with its stage.
    profile = as_user(submitter).get(f"/champions/people/{sponsor.pk}/").content.decode()
    assert "Call customers back" in profile and "Accepted" in profile


def test_in_progress_ideas_can_be_sponsored_too(accepted, sponsor, reviewer):
    move(accepted, "In progress", actor=reviewer)
    services.idea_sponsor(idea=accepted, actor=sponsor)
    accepted.refresh_from_db()
    assert accepted.sponsor == sponsor


@pytest.mark.parametrize("stages", [(), ("Triage",), ("Triage", "Declined"),
                                    ("Triage", "Accepted", "In progress", "Implemented"),
                                    ("Triage", "Accepted", "Parked")])
def test_ideas_not_accepted_or_already_closed_are_refused(sponsor, reviewer, submitter,
                                                         stages):
    idea = move(IdeaFactory(submitter=submitter), *stages, actor=reviewer)
    client = as_user(sponsor)
    assert "Sponsor this idea" not in client.get(idea.get_absolute_url()).content.decode()
    with pytest.raises(ValidationError):
        services.idea_sponsor(idea=idea, actor=sponsor)
    response = client.post(f"/champions/ideas/{idea.pk}/sponsor/", follow=True)
    assert response.status_code == 200
    assert "Only accepted ideas that are not closed yet" in response.content.decode()
    idea.refresh_from_db()
    assert idea.sponsor is None
    assert not Notification.objects.filter(
        verb__in=["ideas.sponsor", "ideas.champion_sponsor"]).exists()


def test_people_without_an_active_term_cannot_sponsor(accepted, employee, champion):
    past = UserFactory()
    TermFactory(person=past, starts_on=days(-500), ends_on=days(-100), ended_on=days(-100))
    later = UserFactory()
    TermFactory(person=later, starts_on=days(10), ends_on=days(300))
    # (The `champion` fixture has the role but no term.)
    for person in (employee, champion, past, later):
        client = as_user(person)
        assert "Sponsor this idea" not in client.get(
            accepted.get_absolute_url()).content.decode()
        with pytest.raises(PermissionDenied):
            services.idea_sponsor(idea=accepted, actor=person)
        assert client.post(f"/champions/ideas/{accepted.pk}/sponsor/").status_code == 403
    accepted.refresh_from_db()
    assert accepted.sponsor is None


def test_an_idea_with_an_owner_is_not_taken_over(accepted, sponsor, reviewer):
    other = UserFactory()
    TermFactory(person=other)
    services.idea_sponsor(idea=accepted, actor=sponsor)
    assert "Sponsor this idea" not in as_user(other).get(
        accepted.get_absolute_url()).content.decode()
    with pytest.raises(ValidationError, match="already has an owner"):
        services.idea_sponsor(idea=accepted, actor=other)
    with pytest.raises(ValidationError, match="already sponsor"):
        services.idea_sponsor(idea=accepted, actor=sponsor)
    accepted.refresh_from_db()
    assert accepted.sponsor == sponsor


def test_confidential_or_missing_ideas_are_404(sponsor, reviewer, submitter):
    secret = move(IdeaFactory(submitter=submitter, confidential=True), "Triage", "Accepted",
                  actor=reviewer)
    client = as_user(sponsor)
    assert client.post(f"/champions/ideas/{secret.pk}/sponsor/").status_code == 404
    assert client.post("/champions/ideas/999999/sponsor/").status_code == 404
    with pytest.raises(PermissionDenied):
        services.idea_sponsor(idea=secret, actor=sponsor)
    assert client.get(f"/champions/ideas/{secret.pk}/sponsor/").status_code == 405


def test_own_idea_can_be_sponsored_without_notifying_oneself(sponsor, reviewer):
    idea = move(IdeaFactory(submitter=sponsor), "Triage", "Accepted", actor=reviewer)
    services.idea_sponsor(idea=idea, actor=sponsor)
    idea.refresh_from_db()
    assert idea.sponsor == sponsor
    assert not Notification.objects.filter(
        verb__in=["ideas.sponsor", "ideas.champion_sponsor"]).exists()


def test_profile_lists_the_newsletter_issues_the_champion_wrote(employee):
    from .factories import published_issue

    writer, other = UserFactory(), UserFactory()
    published_issue(owner=writer, title="Customer life: what the night shift hears")
    published_issue(owner=other, title="Someone else's issue")

    profile = as_user(employee).get(f"/champions/people/{writer.pk}/").content.decode()

    assert "what the night shift hears" in profile
    assert "Someone else" not in profile
