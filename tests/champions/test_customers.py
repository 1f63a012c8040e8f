"""The customer library: a persona's page shows who they are, their journey maps and
the ideas and insights about them (only ideas the reader may see); lessons refer to a
library journey map instead of copying it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ideas.models import Idea
from people.models import CustomerSegment, JourneyMap
from tests.champions.factories import InsightFactory, as_user
from tests.ideas.factories import IdeaFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def retirees():
    return CustomerSegment.objects.create(
        name="Retirees managing claims", summary="Older customers with a claim.",
        needs="A named person to call.", pains="Small print.",
        quotes="Just tell me who I am talking to.\n<script>alert(1)</script>")


@pytest.fixture
def claim_journey(retirees):
    return JourneyMap.objects.create(
        title="A car claim, as a retiree lives it", customer_segment=retirees,
        stages=[("stage", {"stage": "Sends documents", "touchpoints": ["Letter"],
                           "does": "Posts photos.", "thinks": "Did they get it?",
                           "feeling": "anxious", "pain_points": ["No confirmation"]})])


def test_a_persona_page_shows_the_customer_their_journeys_ideas_and_insights(
        employee, retirees, claim_journey):
    IdeaFactory(title="Confirm documents by text", customer_segment=retirees)
    IdeaFactory(title="A secret merger idea", customer_segment=retirees, confidential=True)
    IdeaFactory(title="Somebody's draft", customer_segment=retirees, status=Idea.Status.DRAFT)
    InsightFactory(text="She printed the form three times.", customer_segment=retirees)
    page = as_user(employee).get(f"/champions/customers/{retirees.pk}/").content.decode()
    for shown in ("Older customers with a claim.", "A named person to call.", "Small print.",
                  "Just tell me who I am talking to.", "Sends documents", "Did they get it?",
                  "No confirmation", "Confirm documents by text",
                  "She printed the form three times."):
        assert shown in page, shown
    assert "A secret merger idea" not in page and "Somebody&#x27;s draft" not in page
    assert "<script>alert(1)" not in page and "&lt;script&gt;" in page
    assert "1 idea in all" in page


def test_the_library_lists_every_customer_with_its_counts(employee, retirees, claim_journey):
    CustomerSegment.objects.create(name="Small-business owners")
    page = as_user(employee).get("/champions/customers/").content.decode()
    assert "Retirees managing claims" in page and "Small-business owners" in page
    assert "1 journey map" in page


def test_the_persona_page_costs_the_same_for_few_or_many_ideas(employee, retirees):
    def count():
        with CaptureQueriesContext(connection) as queries:
            assert as_user(employee).get(
                f"/champions/customers/{retirees.pk}/").status_code == 200
        return len(queries)

    for _ in range(2):
        IdeaFactory(customer_segment=retirees)
        InsightFactory(customer_segment=retirees)
    few = count()
    for _ in range(20):
        IdeaFactory(customer_segment=retirees)
        InsightFactory(customer_segment=retirees)
    assert count() == few


def test_an_idea_links_to_its_customers_page(employee, retirees):
    idea = IdeaFactory(customer_segment=retirees)
    page = as_user(employee).get(f"/ideas/{idea.pk}/").content.decode()
    assert f'href="/champions/customers/{retirees.pk}/"' in page


def test_a_lesson_shows_the_library_journey_map_and_follows_its_edits(new_hire, claim_journey):
    from tests.training.factories import module_page

    module = module_page("claims", title="Claims from the customer's side", lessons=0)
    from training.models import LessonPage

    lesson = module.add_child(instance=LessonPage(title="The claim journey", slug="journey",
                                                  body=[("library_journey_map", {
                                                      "journey_map": claim_journey,
                                                      "note": "Where would you step in?"})]))
    lesson.save_revision().publish()
    client = as_user(new_hire)
    assert "Did they get it?" in client.get(lesson.url).content.decode()
    claim_journey.stages = [("stage", {"stage": "Sends documents", "touchpoints": [],
                                       "does": "", "thinks": "Will anyone call me?",
                                       "feeling": "anxious", "pain_points": []})]
    claim_journey.save()
    page = client.get(lesson.url).content.decode()
    assert "Will anyone call me?" in page and "Did they get it?" not in page
    assert "More about this customer" in page
