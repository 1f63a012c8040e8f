"""The champion's path from the intranet to a sent issue (issue 18): a way in from the
archive and home, slugs that never clash when a champion starts again, empty rows
that never block submitting, a visible test send, and a confirmation that says how many
people the first publish will e-mail."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from newsletter.models import NewsletterIssuePage
from people import roles
from tests.factories import UserFactory

from .conftest import make_issue

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def add_url(archive) -> str:
    return reverse("wagtailadmin_pages:add",
                   args=("newsletter", "newsletterissuepage", archive.pk))


def issue_form(title="Customer life: December", slug="customer-life-december", body=(),
               **actions) -> dict:
    return nested_form_data({
        "title": title, "slug": slug, "intro": "What we heard this month",
        "body": streamfield(list(body)), "comments": inline_formset([]), **actions})


@pytest.fixture
def other_champion(db):
    return UserFactory(display_name="Cleo Champion", roles=[roles.CHAMPION])


# --- 2. Slugs: starting again never clashes ----------------------------------------------

def test_a_champion_starting_the_same_issue_again_gets_a_free_slug(archive, champion):
    client = client_for(champion)
    # Autosave's first request makes the draft (Wagtail 8's create view, JSON answer).
    first = client.post(add_url(archive), issue_form(), headers={"accept": "application/json"})
    assert first.status_code == 200 and first.json()["success"]
    # The champion closes the tab, writes the issue again and saves it.
    again = client.post(add_url(archive), issue_form())
    assert again.status_code == 302
    slugs = sorted(NewsletterIssuePage.objects.values_list("slug", flat=True))
    assert slugs == ["customer-life-december", "customer-life-december-2"]
    # Saving the second draft again keeps its slug (it does not take itself for a clash).
    second = NewsletterIssuePage.objects.get(slug="customer-life-december-2")
    edit = client.post(reverse("wagtailadmin_pages:edit", args=[second.pk]), issue_form())
    assert edit.status_code == 302
    second.refresh_from_db()
    assert second.slug == "customer-life-december-2"


def test_a_free_slug_is_taken_in_code_too_but_never_for_a_published_issue(
        archive, programme_admin):
    make_issue(archive, "November", slug="november")
    retry = make_issue(archive, "November", slug="november")
    assert retry.slug == "november-2"
    assert make_issue(archive, "November", slug="november").slug == "november-3"
    published = make_issue(archive, "October", slug="october")
    published.save_revision(user=programme_admin).publish(user=programme_admin)
    published.refresh_from_db()
    published.slug = "november"
    with pytest.raises(ValidationError):
        published.full_clean()


# --- 4. Empty rows never block submitting ---------------------------------------------

def ideas_block(ideas):
    return {"type": "you_said_we_did",
            "value": {"heading": "You said, we did", "include_declined": False, "limit": 8,
                      "ideas": ideas}}


def test_an_empty_you_said_we_did_row_is_dropped_instead_of_blocking(
        archive, champion, django_capture_on_commit_callbacks):
    from wagtail.models import WorkflowState

    from .test_you_said_we_did import decided

    idea = decided("Call customers back")
    client = client_for(champion)
    # A draft saved with an idea and one empty row (added, never chosen)...
    body = [ideas_block([idea.pk, None])]
    issue = archive.add_child(instance=NewsletterIssuePage(
        title="December", slug="december", owner=champion, body=body, live=False))
    issue.save_revision(user=champion)
    # ...is submitted for approval without a complaint, the empty row left out.
    form = issue_form("December", "december", body=[
        ("you_said_we_did", {"heading": "You said, we did", "limit": "8",
                             "ideas": streamfield([("item", str(idea.pk)), ("item", "")])})],
        **{"action-submit": "Submit"})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("wagtailadmin_pages:edit", args=[issue.pk]), form)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert WorkflowState.objects.for_instance(issue).filter(
        status=WorkflowState.STATUS_IN_PROGRESS).exists()
    issue.refresh_from_db()
    draft = issue.get_latest_revision_as_object()
    ideas = draft.body[0].value["ideas"]
    assert [chosen.pk for chosen in ideas] == [idea.pk]


def test_a_link_row_filled_in_half_says_what_is_missing_and_an_empty_one_is_dropped():
    from newsletter.blocks import LinkListBlock

    block = LinkListBlock()
    value = block.to_python({"heading": "Read more", "links": [
        {"title": "Survey", "url": "https://example.com/survey"},
        {"title": "", "url": ""}]})
    cleaned = block.clean(value)
    assert [link["title"] for link in cleaned["links"]] == ["Survey"]

    half = block.to_python({"heading": "Read more", "links": [{"title": "Survey", "url": ""}]})
    with pytest.raises(ValidationError) as error:
        block.clean(half)
    assert "url" in str(error.value.as_json_data())


# --- 1. A way in: "Write an issue" on the archive and on home --------------------------

def test_people_who_may_add_issues_find_write_an_issue_on_the_archive_and_home(
        archive, employee, reviewer, champion, programme_admin):
    add = add_url(archive)
    for user in (champion, programme_admin):
        client = client_for(user)
        for url in ("/newsletter/", "/"):
            content = client.get(url).content.decode()
            assert "Write an issue" in content and f'href="{add}"' in content, (user, url)
        assert client.get(add).status_code == 200
    for user in (employee, reviewer):
        client = client_for(user)
        for url in ("/newsletter/", "/"):
            response = client.get(url)
            assert response.status_code == 200
            assert "Write an issue" not in response.content.decode(), (user, url)
