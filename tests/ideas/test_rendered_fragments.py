"""The idea list's cards and filter forms are kept rendered (shared.fragments): whatever
changes what they show makes them render again at once."""

import pytest

from ideas import services
from ideas.models import Stage
from tests.factories import UserFactory
from tests.ideas.factories import IdeaFactory, move

pytestmark = pytest.mark.django_db


def listing(client, url="/ideas/"):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_a_card_links_to_its_idea(employee_client):
    idea = IdeaFactory(title="Call-back instead of hold music")
    assert f'href="{idea.get_absolute_url()}"' in listing(employee_client)


def test_cards_follow_stage_support_and_edits(employee_client, reviewer):
    idea = IdeaFactory(title="Call-back instead of hold music")
    assert "0 supporters" in listing(employee_client)
    services.support_add(idea=idea, actor=UserFactory())
    assert "1 supporter<" in listing(employee_client)
    move(idea, "Triage", actor=reviewer)
    html = listing(employee_client)
    assert Stage.objects.get(name="Triage").label in html


def test_renamed_vocabularies_show_at_once(employee_client):
    idea = IdeaFactory(title="Call-back instead of hold music")
    listing(employee_client)
    idea.department.name = "Claims and Care"
    idea.department.save()
    stage = idea.stage
    stage.name = "Inbox"
    stage.save()
    html = listing(employee_client)
    assert "Claims and Care" in html  # in the card and in the filter form
    assert html.count("Inbox") >= 2


def test_a_new_sponsor_appears_in_the_filter_form(employee_client, reviewer,
                                                   django_capture_on_commit_callbacks):
    idea = IdeaFactory()
    move(idea, "Triage", "Accepted", actor=reviewer)
    listing(employee_client)
    owner = UserFactory(display_name="Ottilie Owner")
    with django_capture_on_commit_callbacks(execute=True):
        services.idea_set_sponsor(idea=idea, sponsor=owner, actor=reviewer)
    assert "Ottilie Owner" in listing(employee_client)


def test_submitted_text_is_shown_as_text_in_a_kept_card(employee_client):
    IdeaFactory(title="<script>alert(1)</script> hold music")
    for _ in range(2):
        html = listing(employee_client)
        assert "<script>alert(1)</script>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt; hold music" in html
