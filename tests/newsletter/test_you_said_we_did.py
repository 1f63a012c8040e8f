"""'You said, we did': the writer chooses ideas from the pipeline (or leaves it to the
ideas decided since the last issue), and neither the chooser nor the issue ever shows a
confidential or undecided idea."""

import pytest
from django.urls import reverse
from django.utils import timezone

from ideas.models import Stage
from newsletter.emails import render_issue
from tests.ideas.factories import IdeaFactory

from .conftest import make_issue

pytestmark = pytest.mark.django_db


def decided(title, *, stage="Implemented", **kwargs):
    return IdeaFactory(title=title, stage=Stage.objects.get(name=stage),
                       decided_at=timezone.now(), **kwargs)


def block(ideas=(), **value):
    return {"type": "you_said_we_did",
            "value": {"heading": "You said, we did", "include_declined": False, "limit": 8,
                      "ideas": [idea.pk for idea in ideas], **value}}


def test_chosen_ideas_are_shown_in_the_writers_order_and_nothing_else(archive, employee):
    first, second = decided("Call customers back"), decided("Plain-language invoices")
    decided("Not chosen, decided recently")
    issue = make_issue(archive, body=[block([second, first])])

    html, text = render_issue(issue, recipient=employee, unsubscribe_url="http://x/u")

    assert "Not chosen" not in html
    assert html.index("Plain-language invoices") < html.index("Call customers back")


def test_an_idea_made_confidential_after_it_was_chosen_never_reaches_the_inbox(
        archive, employee):
    kept, hidden = decided("Shorter forms"), decided("Secret pricing change")
    issue = make_issue(archive, body=[block([kept, hidden])])
    type(hidden).objects.filter(pk=hidden.pk).update(confidential=True)

    html, _ = render_issue(issue, recipient=employee, unsubscribe_url="http://x/u")

    assert "Shorter forms" in html
    assert "Secret pricing change" not in html


def test_without_a_choice_the_ideas_decided_since_the_last_issue_are_listed(
        archive, employee):
    decided("Automatic pick")
    issue = make_issue(archive, body=[block()])

    html, _ = render_issue(issue, recipient=employee, unsubscribe_url="http://x/u")

    assert "Automatic pick" in html


def test_the_chooser_lists_only_public_decided_ideas_and_searches_them(
        client, champion):
    decided("Callback instead of hold music")
    decided("Callback for the confidential account", confidential=True)
    IdeaFactory(title="Callback still under review")
    client.force_login(champion)

    listing = client.get(reverse("decided_idea_chooser:choose_results"), {"q": "callback"})

    assert listing.status_code == 200
    content = listing.content.decode()
    assert "Callback instead of hold music" in content
    assert "confidential account" not in content
    assert "still under review" not in content


def test_the_chooser_will_not_name_a_confidential_idea_by_its_id(client, champion):
    secret = decided("Secret pricing change", confidential=True)
    public = decided("Shorter forms")
    client.force_login(champion)

    assert client.get(reverse("decided_idea_chooser:chosen", args=(secret.pk,))).status_code == 404
    chosen = client.get(reverse("decided_idea_chooser:chosen", args=(public.pk,)))
    assert chosen.status_code == 200 and "Shorter forms" in chosen.content.decode()
    several = client.get(reverse("decided_idea_chooser:chosen_multiple"),
                         {"id": [secret.pk, public.pk, "x"]}).content.decode()
    assert "Shorter forms" in several and "Secret" not in several


def test_nobody_creates_ideas_from_the_chooser(client, programme_admin):
    client.force_login(programme_admin)
    response = client.get(reverse("decided_idea_chooser:create"))
    assert response.status_code in (302, 403)


def test_the_issue_editor_shows_the_chosen_ideas(client, archive, programme_admin):
    chosen = decided("Plain-language invoices")
    issue = make_issue(archive, body=[block([chosen])])
    client.force_login(programme_admin)

    response = client.get(reverse("wagtailadmin_pages:edit", args=(issue.pk,)))

    assert response.status_code == 200
    assert "Plain-language invoices" in response.content.decode()
