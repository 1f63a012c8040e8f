"""The roster, coverage, insights, meeting-opener and profile pages run the same number of
queries whether there are 2 or 10 departments, champions or insights."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from champions import services
from ideas import services as idea_services
from people.models import Channel
from tests.factories import DepartmentFactory, UserFactory
from tests.ideas.factories import CustomerSegmentFactory, IdeaFactory, move

from .factories import InsightFactory, TermFactory, as_user, days, published_issue

pytestmark = pytest.mark.django_db


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def assert_constant(client, url, add_rows):
    add_rows(2)
    count_queries(client, url)  # warm the caches a first visit fills (Wagtail's site roots)
    few = count_queries(client, url)
    add_rows(10)
    many = count_queries(client, url)
    assert many == few, f"{url}: {few} queries with few rows, {many} with many"


class Rows:
    """Departments, each with an active champion (some ending soon), a past term, and
    insights with segment, channel, tags and a linked idea."""

    def __init__(self):
        self.n = 0
        self.channel = Channel.objects.first()

    def __call__(self, count):
        for _ in range(count):
            self.n += 1
            n = self.n
            department = DepartmentFactory(name=f"Dept {n}", head_count=10 * n)
            person = UserFactory(display_name=f"Champion {n}", department=department,
                                 job_title="Claims handler")
            TermFactory(person=person, department=department,
                        ends_on=days(20 if n % 2 else 200))
            TermFactory(person=UserFactory(), department=department, starts_on=days(-500),
                        ends_on=days(-100), ended_on=days(-100))
            InsightFactory(author=person, customer_segment=CustomerSegmentFactory(),
                           channel=self.channel, idea=IdeaFactory(department=department),
                           tags=[f"tag-{n}", "shared"])


@pytest.mark.parametrize("url", ["/champions/", "/champions/?status=all",
                                 "/champions/?q=champion", "/champions/coverage/",
                                 "/champions/insights/", "/champions/insights/?tag=shared",
                                 "/champions/insights/?q=customer&sentiment=neutral"])
def test_list_pages(url, employee):
    assert_constant(as_user(employee), url, Rows())


def test_nominations_page(programme_admin):
    def add(count):
        for _ in range(count):
            services.nomination_create(nominator=UserFactory(), nominee=UserFactory(),
                                       department=DepartmentFactory(), reason="Great listener")

    assert_constant(as_user(programme_admin), "/champions/nominations/", add)


def test_meeting_opener(employee, reviewer):
    department = DepartmentFactory(name="Claims")

    def add(count):
        for _ in range(count):
            author = UserFactory(department=department)
            InsightFactory(author=author, customer_segment=CustomerSegmentFactory(),
                           channel=Channel.objects.first(), tags=["x"])
            IdeaFactory(department=department)
            TermFactory(person=author, department=department)

    assert_constant(as_user(employee), f"/champions/meeting/{department.pk}/", add)


def test_profile(employee, reviewer):
    person = UserFactory(display_name="Busy Champion")

    def add(count):
        for _ in range(count):
            department = DepartmentFactory()
            TermFactory(person=person, department=department, starts_on=days(-500),
                        ends_on=days(-100), ended_on=days(-100))
            idea = move(IdeaFactory(department=department), "Triage", "Accepted",
                        actor=reviewer)
            idea_services.idea_set_sponsor(idea=idea, sponsor=person, actor=reviewer)
            InsightFactory(author=person, idea=idea, tags=["y"],
                           channel=Channel.objects.first(),
                           customer_segment=CustomerSegmentFactory())
            published_issue(owner=person)

    assert_constant(as_user(employee), f"/champions/people/{person.pk}/", add)
