"""The home page costs a fixed, small number of queries for every role (issue 13: at
most 10), however many ideas, follows, notifications, insights, newsletter issues and
enrolments there are; what it shows stays the same."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from champions.models import Insight
from ideas.models import Follow
from notifications.services import notification_create
from people import roles
from tests.champions.factories import InsightFactory, published_issue
from tests.factories import UserFactory
from tests.ideas.factories import IdeaFactory, move
from tests.training.factories import module_page
from training.models import Enrolment, LessonCompletion

pytestmark = pytest.mark.django_db

MAX_QUERIES = 10
ROLES = ["employee", "new_hire", "champion", "reviewer", "programme_admin"]


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def home(client) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/")
    assert response.status_code == 200
    return len(queries), response.content.decode()


def warm_count(client) -> tuple[int, str]:
    # The first request fills what the shared cache keeps for everyone (the site, the
    # stages, the latest insights and issue, the programme settings); count the second.
    home(client)
    return home(client)


def add_rows(user, *, n: int, tag: str):
    """n of everything the home page shows, for `user` and for everyone."""
    decider = UserFactory(roles=[roles.REVIEWER])
    reviews = user.has_perm("ideas.review_idea")
    module = module_page(f"module-{tag}", lessons=2)
    for i in range(n):
        mine = IdeaFactory(submitter=user, title=f"Mine {tag} {i}")
        move(mine, "Triage", actor=decider)
        followed = IdeaFactory(title=f"Followed {tag} {i}")
        move(followed, "Triage", actor=decider)
        Follow.objects.create(user=user, idea=followed)
        done = IdeaFactory(title=f"Done {tag} {i}")
        move(done, "Triage", "Accepted", "In progress", "Implemented", actor=decider)
        if reviews:
            IdeaFactory(title=f"Assigned {tag} {i}", assignee=user)
            IdeaFactory(title=f"Waiting {tag} {i}")
            late = IdeaFactory(title=f"Late {tag} {i}")
            type(late).objects.filter(pk=late.pk).update(
                stage_entered_at=timezone.now() - timedelta(days=60))
        notification_create(recipients=[user], verb="tests.message",
                            params={"title": f"Hello {tag} {i}"}, email=False)
        InsightFactory(text=f"Insight {tag} {i}")
        published_issue(owner=decider, title=f"Issue {tag} {i}").save_revision().publish()
    Enrolment.objects.create(user=user, module=module, due_on=timezone.localdate())
    LessonCompletion.objects.create(user=user, lesson=module.lessons().first())


@pytest.mark.parametrize("role", ROLES)
def test_home_queries_are_few_and_constant(role, request):
    user = request.getfixturevalue(role)
    client = as_user(user)
    add_rows(user, n=1, tag="few")
    few, page = warm_count(client)
    assert "Mine few 0" in page and "Hello" not in page and "Insight few 0" in page
    add_rows(user, n=6, tag="many")
    many, page = warm_count(client)
    assert "Insight many 5" in page and "Issue many 5" in page and "Mine many 5" in page
    unread = user.notifications.filter(read_at__isnull=True).count()
    assert unread > 7 and f'<span class="count">{unread}<' in page  # the header's count
    assert few <= MAX_QUERIES, f"{role}: {few} queries"
    assert many == few, f"{role}: {few} queries with few rows, {many} with many"


@pytest.mark.parametrize("role", ROLES)
def test_home_shows_what_the_roles_allow(role, request):
    """The permissions read with the person's roles in one query are the ones Django's
    backend would read: the header's links, the review panel and the roles shown."""
    user = request.getfixturevalue(role)
    page = as_user(user).get("/").content.decode()
    fresh = type(user).objects.get(pk=user.pk)
    assert ('href="/dashboard/"' in page) == fresh.has_perm("people.view_programme_dashboard")
    assert ('href="/admin/"' in page) == fresh.has_perm("wagtailadmin.access_admin")
    assert ("Waiting for your review" in page) == fresh.has_perm("ideas.review_idea")
    assert ", ".join(str(label) for label in fresh.role_labels) in page
    assert (fresh.department.name if fresh.department else "Not set") in page


def test_home_counts_for_a_reviewer(reviewer):
    IdeaFactory.create_batch(2)
    IdeaFactory(title="On my desk", assignee=reviewer)
    IdeaFactory(title="My own", submitter=reviewer, assignee=None)
    late = IdeaFactory(title="Late one")
    type(late).objects.filter(pk=late.pk).update(
        stage_entered_at=timezone.now() - timedelta(days=60))

    page = as_user(reviewer).get("/").content.decode()

    assert "1 idea is assigned to you." in page and "On my desk" in page
    assert "3 ideas wait for a reviewer." in page
    assert "1 overdue in the queue" in page


def test_a_new_insight_shows_at_once(employee):
    client = as_user(employee)
    InsightFactory(text="Customers want a callback.")
    assert "Customers want a callback." in client.get("/").content.decode()
    InsightFactory(text="Customers want one number.")
    assert "Customers want one number." in client.get("/").content.decode()
    Insight.objects.filter(text="Customers want one number.").delete()
    assert "Customers want one number." not in client.get("/").content.decode()


def test_onboarding_panel_agrees_with_my_onboarding(new_hire):
    from training import selectors, services
    from training.wagtail_hooks import _home_onboarding

    first, second, third = (module_page(f"m{n}", lessons=3) for n in range(3))
    today = timezone.localdate()
    for n, module in enumerate((first, second, third)):
        Enrolment.objects.create(user=new_hire, module=module, due_on=today + timedelta(n))
    for lesson in first.lessons():
        services.lesson_complete(user=new_hire, lesson=lesson)
    services.lesson_complete(user=new_hire, lesson=second.lessons().first())
    Enrolment.objects.filter(user=new_hire, module=third).update(
        status=Enrolment.Status.COMPLETED)

    expected = selectors.my_onboarding(user=new_hire)
    shown = _home_onboarding(new_hire)

    assert shown["overall"] == expected["overall"]
    assert shown["next_due"]["enrolment"] == expected["next_due"]["enrolment"]
    assert shown["next_due"]["module"].title == expected["next_due"]["module"].title
    assert _home_onboarding(UserFactory()) is None


def test_a_view_restriction_on_the_home_page_still_applies(employee, reviewer):
    from django.contrib.auth.models import Group
    from wagtail.models import PageViewRestriction

    from portal.models import HomePage

    restriction = PageViewRestriction.objects.create(
        page=HomePage.objects.get(), restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.set([Group.objects.get(name=roles.REVIEWER)])

    assert as_user(employee).get("/").status_code == 302
    assert as_user(reviewer).get("/").status_code == 200
