"""The champion's path from the intranet to a sent issue (issue 18): a way in from the
archive and home, slugs that never clash when a champion starts again, empty rows
that never block submitting, a visible test send, and a confirmation that says how many
people the first publish will e-mail."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from newsletter.models import Delivery, NewsletterIssuePage, Send, Unsubscription
from newsletter.selectors import subscribers
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


# --- 3. The test send is in view, and only for who may edit the issue --------------------

@pytest.fixture
def own_issue(archive, champion):
    issue = archive.add_child(instance=NewsletterIssuePage(
        title="Chai's issue", slug="chais-issue", owner=champion, live=False))
    issue.save_revision(user=champion)
    return issue


def denied(response) -> bool:
    if response.status_code == 302:
        return response["Location"] == "/admin/"
    return response.status_code in (403, 404, 405)


def test_the_test_send_is_a_visible_header_button_on_the_issue(own_issue, champion, mailoutbox):
    test_send = reverse("newsletter_test_send", args=[own_issue.pk])
    content = client_for(champion).get(
        reverse("wagtailadmin_pages:edit", args=[own_issue.pk])).content.decode()
    header = content.split('data-w-dropdown', 1)[0]  # before the "more" (⋯) menu
    assert f'href="{test_send}"' in header and "Send a test e-mail to me" in header
    # GET asks; only the POST sends, to the editor alone.
    client = client_for(champion)
    assert client.get(test_send).status_code == 200 and mailoutbox == []
    client.post(test_send)
    assert [m.to for m in mailoutbox] == [[champion.email]]


def test_another_champion_can_neither_test_send_nor_confirm_someone_elses_issue(
        own_issue, other_champion, mailoutbox):
    client = client_for(other_champion)
    confirm = reverse("newsletter_confirm_publish", args=[own_issue.pk])
    test_send = reverse("newsletter_test_send", args=[own_issue.pk])
    for url in (test_send, confirm):
        assert denied(client.get(url)), url
        assert denied(client.post(url, {"revision": own_issue.latest_revision_id,
                                        "action": "publish"})), url
    own_issue.refresh_from_db()
    assert mailoutbox == [] and not own_issue.live
    assert not Send.objects.exists()
    # Not on the edit page either (Wagtail refuses it to them).
    assert denied(client.get(reverse("wagtailadmin_pages:edit", args=[own_issue.pk])))


# --- 5. "This will e-mail N people" before the publish that sends ----------------------

def test_publishing_asks_first_and_the_count_is_the_number_of_deliveries(
        archive, own_issue, programme_admin, mailoutbox, django_capture_on_commit_callbacks):
    UserFactory.create_batch(4)
    Unsubscription.objects.create(user=UserFactory())
    UserFactory(is_active=False)
    client = client_for(programme_admin)
    edit = reverse("wagtailadmin_pages:edit", args=[own_issue.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(edit, issue_form("Chai's issue", "chais-issue",
                                                **{"action-publish": "Publish"}))
    confirm = reverse("newsletter_confirm_publish", args=[own_issue.pk])
    assert response.status_code == 302 and response["Location"].startswith(confirm)
    own_issue.refresh_from_db()
    assert not own_issue.live and not Send.objects.exists() and mailoutbox == []

    page = client.get(response["Location"])
    n = subscribers().count()
    assert n >= 5
    assert f"This will e-mail {n} people." in page.content.decode()
    # A stale revision (the issue changed meanwhile) is not published.
    stale = client.post(confirm, {"revision": own_issue.latest_revision_id - 1,
                                  "action": "publish"})
    assert stale.status_code == 400 and not Send.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(confirm, {"revision": own_issue.latest_revision_id,
                                     "action": "publish"})
    assert done.status_code == 302
    own_issue.refresh_from_db()
    assert own_issue.live
    send = Send.objects.get(issue=own_issue)
    assert send.deliveries.count() == n
    assert send.deliveries.filter(status=Delivery.Status.SENT).count() == n
    assert len([m for m in mailoutbox if "List-Unsubscribe" in m.extra_headers]) == n
    # Published and sent: publishing again asks nothing.
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(edit, issue_form("Chai's issue, corrected", "chais-issue",
                                             **{"action-publish": "Publish"}))
    assert not again["Location"].startswith(confirm)


def test_the_approval_that_publishes_asks_first(
        archive, champion, programme_admin, mailoutbox, django_capture_on_commit_callbacks):
    from wagtail.models import WorkflowState

    UserFactory.create_batch(2)
    with django_capture_on_commit_callbacks(execute=True):
        client_for(champion).post(add_url(archive), issue_form(**{"action-submit": "Submit"}))
    issue = NewsletterIssuePage.objects.get(slug="customer-life-december")
    state = WorkflowState.objects.for_instance(issue).get()
    approve = reverse("wagtailadmin_pages:workflow_action",
                      args=(issue.pk, "approve", state.current_task_state.pk))
    admin = client_for(programme_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(approve, {"comment": "Lovely"})
    confirm = reverse("newsletter_confirm_publish", args=[issue.pk])
    assert response["Location"].startswith(confirm)
    issue.refresh_from_db()
    state.refresh_from_db()
    assert not issue.live and state.status == WorkflowState.STATUS_IN_PROGRESS
    page = admin.get(response["Location"]).content.decode()
    n = subscribers().count()
    assert f"This will e-mail {n} people." in page and "Lovely" in page
    # The champion (author) cannot confirm it either.
    assert denied(client_for(champion).post(confirm, {
        "revision": issue.latest_revision_id, "action": "approve"}))
    with django_capture_on_commit_callbacks(execute=True):
        admin.post(confirm, {"revision": issue.latest_revision_id, "action": "approve",
                             "comment": "Lovely"})
    issue.refresh_from_db()
    state.refresh_from_db()
    assert issue.live and state.status == WorkflowState.STATUS_APPROVED
    assert Send.objects.get(issue=issue).deliveries.count() == n


def test_approve_and_publish_from_the_edit_view_and_bulk_publish_ask_first(
        archive, champion, programme_admin, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client_for(champion).post(add_url(archive), issue_form(**{"action-submit": "Submit"}))
    issue = NewsletterIssuePage.objects.get(slug="customer-life-december")
    admin = client_for(programme_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(reverse("wagtailadmin_pages:edit", args=[issue.pk]), issue_form(
            **{"action-workflow-action": "1", "workflow-action-name": "approve",
               "workflow-action-extra-data": '{"comment": "Fine"}'}))
    confirm = reverse("newsletter_confirm_publish", args=[issue.pk])
    assert response.status_code == 302 and response["Location"].startswith(confirm)
    assert "comment=Fine" in response["Location"]
    issue.refresh_from_db()
    assert not issue.live and not Send.objects.exists()
    # Wagtail's bulk "publish" would skip the confirmation: refused with a message.
    bulk = reverse("wagtail_bulk_action", args=("wagtailcore", "page", "publish"))
    with django_capture_on_commit_callbacks(execute=True):
        refused = admin.post(f"{bulk}?id={issue.pk}", {"include_descendants": False})
    assert refused["Location"] == reverse("wagtailadmin_pages:edit", args=[issue.pk])
    assert any("would be e-mailed to everyone" in str(message)
               for message in refused.wsgi_request._messages)
    issue.refresh_from_db()
    assert not issue.live and not Send.objects.exists()


def test_publishing_straight_from_the_add_view_asks_first(
        archive, programme_admin, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(programme_admin).post(
            add_url(archive), issue_form(**{"action-publish": "Publish"}))
    issue = NewsletterIssuePage.objects.get(slug="customer-life-december")
    assert response["Location"].startswith(
        reverse("newsletter_confirm_publish", args=[issue.pk]))
    assert not issue.live and not Send.objects.exists()
    # Not on the intranet until confirmed.
    assert client_for(programme_admin).get("/newsletter/customer-life-december/").status_code \
        == 404
