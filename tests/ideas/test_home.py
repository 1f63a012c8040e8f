import pytest

from tests.ideas.factories import IdeaFactory, move

pytestmark = pytest.mark.django_db


def test_home_shows_review_work_news_and_implemented_ideas(client, reviewer, employee):
    mine = IdeaFactory(submitter=employee, title="Shorter hold times")
    assigned = IdeaFactory(title="Assigned to the reviewer", assignee=reviewer)
    done = IdeaFactory(title="Callback instead of hold")
    move(mine, "Triage", actor=reviewer)
    move(done, "Triage", "Accepted", "In progress", "Implemented", actor=reviewer)
    IdeaFactory(title="Secret restructuring", confidential=True, submitter=reviewer)

    client.force_login(reviewer)
    page = client.get("/").content.decode()
    assert "Waiting for your review" in page
    assert assigned.title in page

    client.force_login(employee)
    page = client.get("/").content.decode()
    assert "Waiting for your review" not in page
    assert "News on your ideas" in page and "Shorter hold times" in page
    assert "Callback instead of hold" in page
    assert "Secret restructuring" not in page


def test_a_reviewer_without_assignments_sees_what_waits_for_anyone(client, reviewer):
    IdeaFactory.create_batch(2)
    IdeaFactory(assignee=reviewer)

    client.force_login(reviewer)
    page = client.get("/").content.decode()

    assert "1 idea is assigned to you." in page
    assert "2 ideas wait for a reviewer." in page
    assert "/ideas/queue/?assignee=none" in page


def test_news_on_other_peoples_ideas_stays_off_an_employees_home(client, reviewer, employee):
    from tests.factories import UserFactory

    someone = UserFactory()
    theirs = IdeaFactory(submitter=someone, title="Someone else's idea")
    move(theirs, "Triage", actor=reviewer)
    private = IdeaFactory(submitter=someone, title="Someone else's secret", confidential=True)
    move(private, "Triage", "Accepted", "In progress", "Implemented", actor=reviewer)

    client.force_login(employee)
    page = client.get("/").content.decode()

    assert "Someone else's idea" not in page
    assert "Someone else's secret" not in page
    assert "Waiting for your review" not in page
