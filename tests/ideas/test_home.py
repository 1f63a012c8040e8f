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
