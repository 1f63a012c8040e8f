"""A customer insight becomes an idea in one step: the idea form prefilled from it; the
two link both ways and the person who logged it is told."""

import pytest

from champions.models import Insight
from ideas.models import Idea
from notifications.models import Notification
from tests.champions.factories import InsightFactory, TermFactory, as_user
from tests.factories import UserFactory
from tests.ideas.factories import CustomerSegmentFactory

pytestmark = pytest.mark.django_db

TEXT = "Retirees call three times because the claim letter quotes clause numbers."


def _post(insight, client, **extra):
    page = client.get(f"/champions/insights/{insight.pk}/idea/")
    assert page.status_code == 200
    form = page.context["form"]
    data = {"title": "Plain-language claim letters", "problem": form.initial["problem"],
            "customer_segment": insight.customer_segment_id, "delight": "They act at once.",
            "metric": "csat", "form_token": form["form_token"].value(), "submit": "1",
            **extra}
    return client.post(f"/champions/insights/{insight.pk}/idea/", data, follow=True)


def test_a_champion_turns_an_insight_into_an_idea_and_its_author_hears(champion):
    TermFactory(person=champion)
    author = UserFactory(display_name="Lee Logger")
    insight = InsightFactory(text=TEXT, author=author,
                             customer_segment=CustomerSegmentFactory())
    client = as_user(champion)
    form_page = client.get(f"/champions/insights/{insight.pk}/idea/").content.decode()
    assert TEXT in form_page and "From this customer insight" in form_page
    page = _post(insight, client).content.decode()
    idea = Idea.objects.get(title="Plain-language claim letters")
    assert idea.submitter == champion and idea.problem == TEXT
    assert Insight.objects.get(pk=insight.pk).idea == idea
    assert "Customer evidence" in page and TEXT in page
    told = Notification.objects.get(verb="champions.insight_to_idea", recipient=author)
    assert told.title == "Your customer insight became an idea: “Plain-language claim letters”"
    # Once is enough: the insight now points at its idea.
    again = client.get(f"/champions/insights/{insight.pk}/idea/", follow=True)
    assert again.redirect_chain[-1][0] == f"/ideas/{idea.pk}/"


def test_an_employee_turns_only_their_own_insight_into_an_idea(employee):
    theirs = InsightFactory(text=TEXT, author=UserFactory())
    assert as_user(employee).get(f"/champions/insights/{theirs.pk}/idea/").status_code == 403
    mine = InsightFactory(text=TEXT, author=employee, customer_segment=CustomerSegmentFactory())
    _post(mine, as_user(employee))
    assert Insight.objects.get(pk=mine.pk).idea is not None
    assert not Notification.objects.filter(verb="champions.insight_to_idea").exists()


def test_a_bad_idea_form_links_nothing(champion):
    TermFactory(person=champion)
    insight = InsightFactory(text=TEXT, customer_segment=CustomerSegmentFactory())
    response = _post(insight, as_user(champion), title="")
    assert response.status_code == 400
    assert Insight.objects.get(pk=insight.pk).idea is None and not Idea.objects.exists()
