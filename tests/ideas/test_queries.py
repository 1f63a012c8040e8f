"""The number of database queries of each list and detail page does not grow with the
number of ideas, comments or supporters on it."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ideas import services
from ideas.models import Comment, Follow, InternalNote, Score, Support
from tests.factories import DepartmentFactory, UserFactory
from tests.ideas.factories import CustomerSegmentFactory, IdeaFactory, add_attachment, move

pytestmark = pytest.mark.django_db


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def rich_ideas(n, *, reviewer, submitter=None, title="Hold music survey"):
    """Ideas with everything a row shows: tags, department, segment, owner, reviewer,
    decisions."""
    ideas = []
    for i in range(n):
        idea = IdeaFactory(
            title=f"{title} {i}", submitter=submitter or UserFactory(),
            department=DepartmentFactory(name=f"Dept {i}"),
            customer_segment=CustomerSegmentFactory(name=f"Segment {i}"),
            assignee=reviewer)
        idea.tags.add(f"tag-{i}", "shared")
        if i % 2:
            move(idea, "Triage", "Accepted", actor=reviewer, reason=f"Reason {i}")
            services.idea_set_sponsor(idea=idea, sponsor=UserFactory(), actor=reviewer)
        ideas.append(idea)
    return ideas


def assert_constant(client, url, add_rows):
    # Warm what the shared cache keeps across requests (the programme settings: holidays,
    # default response target), so both counts are of a page served from a warm cache.
    count_queries(client, url)
    few = count_queries(client, url)
    add_rows()
    # New rows bring new departments and segments: the filter form is rendered again
    # once (shared.fragments), then served rendered.
    count_queries(client, url)
    many = count_queries(client, url)
    assert many == few, f"{url}: {few} queries with few rows, {many} with many"


@pytest.mark.parametrize("url", ["/ideas/", "/ideas/?q=hold+music", "/ideas/?sort=supported",
                                 "/ideas/?tag=shared&sort=decided"])
def test_idea_list_and_search(url, employee, reviewer):
    rich_ideas(2, reviewer=reviewer)
    client = as_user(employee)
    assert_constant(client, url, lambda: rich_ideas(10, reviewer=reviewer, title="Hold music"))
    shown = "<mark>Hold</mark> <mark>music</mark> survey 1" if "q=" in url \
        else "Hold music survey 1"
    assert shown in client.get(url).content.decode()


def test_export(employee, reviewer):
    rich_ideas(2, reviewer=reviewer)
    assert_constant(as_user(employee), "/ideas/export.csv",
                    lambda: rich_ideas(10, reviewer=reviewer))


@pytest.mark.parametrize("url", ["/ideas/queue/", "/ideas/queue/?overdue=on&sort=priority",
                                 "/ideas/queue/?assignee=me"])
def test_review_queue(url, reviewer, programme_admin):
    rich_ideas(2, reviewer=reviewer)
    client = as_user(reviewer)
    assert_constant(client, url, lambda: rich_ideas(10, reviewer=programme_admin))
    assert count_queries(client, url) < 40


def test_my_ideas(employee, reviewer):
    rich_ideas(2, reviewer=reviewer, submitter=employee)
    client = as_user(employee)
    assert_constant(client, "/ideas/mine/",
                    lambda: rich_ideas(10, reviewer=reviewer, submitter=employee))
    assert "Reason 1" in client.get("/ideas/mine/").content.decode()


def populate(idea, n, reviewer):
    for _ in range(n):
        person = UserFactory()
        Support.objects.create(idea=idea, user=person)
        Follow.objects.create(idea=idea, user=person)
        Comment.objects.create(idea=idea, author=person, body="Yes, please")
        hidden = Comment.objects.create(idea=idea, author=person, body="Rude")
        services.comment_hide(comment=hidden, actor=reviewer, reason="Rude")
        InternalNote.objects.create(idea=idea, author=UserFactory(), body="Note")
        Score.objects.create(idea=idea, reviewer=UserFactory(), impact=3, reach=3,
                             confidence=3, effort=3)
        add_attachment(idea)


@pytest.mark.parametrize("who", ["employee", "reviewer"])
def test_idea_detail(who, request, reviewer, programme_admin):
    idea = IdeaFactory()
    idea.tags.add("a", "b")
    move(idea, "Triage", "In review", actor=programme_admin)
    populate(idea, 2, programme_admin)
    client = as_user(request.getfixturevalue(who))
    url = f"/ideas/{idea.pk}/"

    def more():
        populate(idea, 10, programme_admin)
        move(idea, "Parked", "In review", actor=programme_admin)

    assert_constant(client, url, more)
    page = client.get(url).content.decode()
    assert page.count("Yes, please") == 12
