"""Who may change a newsletter issue in the Wagtail admin: its author, its approvers and
programme admins, in every admin view; and a sent issue is never deleted (its
deliveries are the record of who received what)."""

import pytest
from django.test import Client
from django.urls import reverse
from wagtail.models import Page

from newsletter.models import NewsletterIssuePage, Send
from newsletter.setup import ensure_newsletter_setup
from people import roles
from tests.factories import UserFactory

from .conftest import make_issue, publish

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def denied(response) -> bool:
    """Wagtail answers a PermissionDenied in its admin with a redirect to its dashboard."""
    if response.status_code == 302:
        return response["Location"] == "/admin/"
    return response.status_code in (403, 404, 405)


@pytest.fixture
def other_champion(db):
    return UserFactory(display_name="Cleo Champion", roles=[roles.CHAMPION])


@pytest.fixture
def issue(archive, champion):
    issue = make_issue(archive, "Chai's draft", slug="chais-draft")
    issue.owner = champion
    issue.save()
    issue.save_revision(user=champion)
    return issue


def page_urls(issue) -> dict[str, str]:
    revision = issue.latest_revision
    return {
        "edit": reverse("wagtailadmin_pages:edit", args=[issue.pk]),
        "delete": reverse("wagtailadmin_pages:delete", args=[issue.pk]),
        "move": reverse("wagtailadmin_pages:move", args=[issue.pk]),
        "copy": reverse("wagtailadmin_pages:copy", args=[issue.pk]),
        "history": reverse("wagtailadmin_pages:history", args=[issue.pk]),
        "revision": reverse("wagtailadmin_pages:revisions_view", args=[issue.pk, revision.pk]),
        "revert": reverse("wagtailadmin_pages:revisions_revert",
                          args=[issue.pk, revision.pk]),
        "view_draft": reverse("wagtailadmin_pages:view_draft", args=[issue.pk]),
        "preview": reverse("wagtailadmin_pages:preview_on_edit", args=[issue.pk]),
        "usage": reverse("wagtailadmin_pages:usage", args=[issue.pk]),
        "lock": reverse("wagtailadmin_pages:lock", args=[issue.pk]),
        "workflow_history": reverse("wagtailadmin_pages:workflow_history", args=[issue.pk]),
        "test_send": reverse("newsletter_test_send", args=[issue.pk]),
    }


def test_another_champion_cannot_touch_an_unpublished_issue(issue, other_champion):
    client = client_for(other_champion)
    for name, url in page_urls(issue).items():
        assert denied(client.get(url)), name
    edit = page_urls(issue)["edit"]
    client.post(edit, {"title": "Hijacked", "slug": "chais-draft"})
    for name in ("delete", "move", "lock", "test_send"):
        assert denied(client.post(page_urls(issue)[name])), name
    copy = client.post(page_urls(issue)["copy"], {
        "new_title": "Copy", "new_slug": "copy", "new_parent_page": issue.get_parent().pk})
    assert denied(copy)
    issue.refresh_from_db()
    assert issue.title == "Chai's draft"
    assert issue.get_latest_revision_as_object().title == "Chai's draft"
    assert not issue.locked
    assert NewsletterIssuePage.objects.count() == 1
    # Bulk actions ask the same question.
    bulk = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "delete"])
    client.post(f"{bulk}?id={issue.pk}", {})
    assert NewsletterIssuePage.objects.filter(pk=issue.pk).exists()


def test_another_champion_cannot_edit_a_published_issue(
        issue, champion, other_champion, programme_admin):
    publish(issue, programme_admin)
    assert denied(client_for(other_champion).get(page_urls(issue)["edit"]))
    assert denied(client_for(other_champion).post(
        reverse("wagtailadmin_pages:unpublish", args=[issue.pk])))
    issue.refresh_from_db()
    assert issue.live


def test_author_and_programme_admin_keep_editing(issue, champion, programme_admin):
    for user in (champion, programme_admin):
        client = client_for(user)
        for name in ("edit", "history", "revision", "preview", "view_draft"):
            assert client.get(page_urls(issue)[name]).status_code == 200, (user, name)
    # The author may delete their own unpublished draft.
    client_for(champion).post(page_urls(issue)["delete"])
    assert not NewsletterIssuePage.objects.filter(pk=issue.pk).exists()


def test_setup_takes_back_the_old_grant_to_change_every_issue(archive, issue, other_champion):
    """Databases set up before this rule still have the champions' change grant."""
    from django.contrib.auth.models import Group, Permission
    from wagtail.models import GroupPagePermission

    GroupPagePermission.objects.get_or_create(
        group=Group.objects.get(name=roles.CHAMPION), page=archive,
        permission=Permission.objects.get(content_type__app_label="wagtailcore",
                                          codename="change_page"))
    ensure_newsletter_setup()
    assert denied(client_for(other_champion).get(page_urls(issue)["edit"]))
    # Champions can still write new issues.
    add = reverse("wagtailadmin_pages:add",
                  args=("newsletter", "newsletterissuepage", archive.pk))
    assert client_for(other_champion).get(add).status_code == 200


# --- A sent issue is refused for deletion, with a message ----------------------------

@pytest.fixture
def sent_issue(archive, champion, programme_admin):
    issue = make_issue(archive, "October", slug="october")
    issue.owner = champion
    issue.save()
    send = publish(issue, programme_admin)
    assert send is not None
    return issue


def test_deleting_a_sent_issue_is_refused_with_a_message(sent_issue, programme_admin):
    client = client_for(programme_admin)
    url = reverse("wagtailadmin_pages:delete", args=[sent_issue.pk])
    for response in (client.get(url), client.post(url)):
        assert response.status_code == 302
        assert response["Location"] == reverse("wagtailadmin_pages:edit",
                                               args=[sent_issue.pk])
    page = client.get(reverse("wagtailadmin_pages:edit", args=[sent_issue.pk]))
    assert "has been sent" in page.content.decode()
    assert NewsletterIssuePage.objects.filter(pk=sent_issue.pk).exists()
    assert Send.objects.filter(issue=sent_issue).exists()


def test_a_sent_issue_unpublished_by_its_author_still_cannot_be_deleted(
        sent_issue, champion, programme_admin):
    sent_issue.unpublish(user=programme_admin)
    response = client_for(champion).post(
        reverse("wagtailadmin_pages:delete", args=[sent_issue.pk]))
    assert response.status_code == 302
    assert NewsletterIssuePage.objects.filter(pk=sent_issue.pk).exists()


def test_bulk_delete_of_a_sent_issue_is_refused(sent_issue, programme_admin):
    bulk = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "delete"])
    response = client_for(programme_admin).post(f"{bulk}?id={sent_issue.pk}", {})
    assert response.status_code == 302
    assert NewsletterIssuePage.objects.filter(pk=sent_issue.pk).exists()


def test_deleting_the_archive_with_a_sent_issue_is_refused(sent_issue, archive):
    admin = UserFactory(is_superuser=True)
    client = client_for(admin)
    response = client.post(reverse("wagtailadmin_pages:delete", args=[archive.pk]))
    assert response.status_code == 302
    assert Page.objects.filter(pk=archive.pk).exists()
    bulk = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "delete"])
    response = client.post(f"{bulk}?id={archive.pk}", {})
    assert response.status_code == 302
    assert Page.objects.filter(pk=archive.pk).exists()


def test_a_sent_issue_cannot_be_deleted_or_moved_through_the_admin_api(
        sent_issue, programme_admin):
    """Wagtail's admin API has no delete hooks: the page permission itself says no."""
    client = client_for(programme_admin)
    api = f"/admin/api/main/pages/{sent_issue.pk}/action/"
    response = client.post(f"{api}delete/", {}, content_type="application/json")
    assert response.status_code == 403
    response = client.post(f"{api}move/", {"destination_page_id": sent_issue.get_parent().pk},
                           content_type="application/json")
    assert response.status_code in (400, 403)
    assert NewsletterIssuePage.objects.filter(pk=sent_issue.pk).exists()
    # And the page offers no Delete action to click.
    page = client.get(reverse("wagtailadmin_pages:edit", args=[sent_issue.pk])).content.decode()
    assert reverse("wagtailadmin_pages:delete", args=[sent_issue.pk]) not in page
