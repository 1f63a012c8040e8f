"""Who may do what: champions draft, a programme admin approves (and the send starts),
employees read; nobody outside sees the archive; the send admin is for programme admins."""

import pytest
from django.test import Client
from django.urls import reverse
from wagtail.models import GroupApprovalTask, WorkflowState, WorkflowTask
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from newsletter.models import (
    Delivery,
    IssueRead,
    NewsletterArchivePage,
    NewsletterIssuePage,
    Send,
)
from newsletter.setup import WORKFLOW_NAME, ensure_newsletter_setup
from people import roles
from tests.factories import UserFactory

from .conftest import PERSIAN, THAI, active_emails, make_issue, publish, recipients_of, story

pytestmark = pytest.mark.django_db


def denied(response) -> bool:
    """Wagtail's admin answers a PermissionDenied with a redirect to its dashboard (and
    people without admin access are sent to the login page); elsewhere it is a 403."""
    if response.status_code == 302:
        return response["Location"] == "/admin/" or response["Location"].startswith(
            "/accounts/login/")
    return response.status_code == 403


def newsletters(outbox) -> list:
    """Newsletter e-mails only (Wagtail also e-mails approvers about moderation)."""
    return [m for m in outbox if "List-Unsubscribe" in m.extra_headers]


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def add_url(archive) -> str:
    return reverse("wagtailadmin_pages:add",
                   args=("newsletter", "newsletterissuepage", archive.pk))


def issue_form(title="Customer life: December", slug="december", **actions) -> dict:
    return nested_form_data({
        "title": title, "slug": slug, "intro": "What we heard this month",
        "body": streamfield([]), "comments": inline_formset([]), **actions})


def test_only_champions_and_programme_admins_can_create_issues(
        archive, employee, reviewer, champion, programme_admin):
    for user in (employee, reviewer):
        client = client_for(user)
        for url in (f"/admin/pages/{archive.pk}/add_subpage/", add_url(archive)):
            assert denied(client.get(url)), (user, url)
        assert denied(client.post(add_url(archive), issue_form(**{"action-submit": "Submit"})))
        assert not NewsletterIssuePage.objects.exists()
    draft = make_issue(archive, "Draft")
    # The champion's own draft: other champions cannot edit it (test_admin_permissions).
    draft.owner = champion
    draft.save(update_fields=["owner"])
    edit_url = reverse("wagtailadmin_pages:edit", args=(draft.pk,))
    for user in (champion, programme_admin):
        client = client_for(user)
        assert client.get(add_url(archive)).status_code == 200, user
        assert client.get(edit_url).status_code == 200, user
    for user in (employee, reviewer):
        assert denied(client_for(user).get(edit_url)), user


def test_champion_submits_for_moderation_and_programme_admin_approval_publishes_and_sends(
        archive, champion, programme_admin, mailoutbox, django_capture_on_commit_callbacks):
    UserFactory.create_batch(3)
    champion_client = client_for(champion)
    # A champion cannot publish directly...
    with django_capture_on_commit_callbacks(execute=True):
        champion_client.post(add_url(archive), issue_form(
            "Published by a champion?", "direct", **{"action-publish": "Publish"}))
    direct = NewsletterIssuePage.objects.filter(slug="direct").first()
    assert direct is None or not direct.live
    # ...but submits for approval.
    with django_capture_on_commit_callbacks(execute=True):
        response = champion_client.post(add_url(archive),
                                        issue_form(**{"action-submit": "Submit"}))
    assert response.status_code == 302
    issue = NewsletterIssuePage.objects.get(slug="december")
    assert not issue.live and issue.first_published_at is None
    state = WorkflowState.objects.for_instance(issue).get()
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.workflow.name == WORKFLOW_NAME
    assert not Send.objects.exists() and newsletters(mailoutbox) == []
    # The champion cannot approve their own issue.
    task_state = state.current_task_state
    approve = reverse("wagtailadmin_pages:workflow_action",
                      args=(issue.pk, "approve", task_state.pk))
    with django_capture_on_commit_callbacks(execute=True):
        champion_client.post(approve, {"comment": ""})
    issue.refresh_from_db()
    assert not issue.live and newsletters(mailoutbox) == []
    # The programme admin approves and confirms ("This will e-mail N people":
    # test_champion_path): the issue is published and sent.
    admin = client_for(programme_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(approve, {"comment": "Lovely"})
    assert response.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(reverse("newsletter_confirm_publish", args=[issue.pk]), {
            "revision": issue.latest_revision_id, "action": "approve", "comment": "Lovely"})
    assert response.status_code == 302
    issue.refresh_from_db()
    assert issue.live
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED
    send = Send.objects.get(issue=issue)
    assert send.status == Send.Status.DONE
    assert recipients_of(newsletters(mailoutbox)) == sorted(active_emails())


def newsletter_workflow():
    return NewsletterArchivePage.objects.get().get_workflow()


def test_approval_workflow_has_one_programme_admin_task(archive):
    workflow = newsletter_workflow()
    assert workflow.name == WORKFLOW_NAME
    tasks = [task.specific for task in workflow.tasks]
    assert len(tasks) == 1
    assert [g.name for g in tasks[0].groups.all()] == [roles.PROGRAMME_ADMIN]
    ensure_newsletter_setup()
    ensure_newsletter_setup()  # idempotent
    assert WorkflowTask.objects.filter(workflow=workflow).count() == 1
    assert GroupApprovalTask.objects.filter(name="Programme admin approval").count() == 1


def test_approval_workflow_can_be_switched_off(archive, settings):
    settings.NEWSLETTER_REQUIRE_APPROVAL = False
    ensure_newsletter_setup()
    workflow = newsletter_workflow()
    assert workflow is None or workflow.name != WORKFLOW_NAME
    settings.NEWSLETTER_REQUIRE_APPROVAL = True
    ensure_newsletter_setup()
    assert newsletter_workflow().name == WORKFLOW_NAME
    assert len(newsletter_workflow().tasks) == 1


def test_archive_and_issues_need_login(archive, programme_admin):
    publish(make_issue(archive, "Members only", slug="members-only"), programme_admin)
    anonymous = Client()
    for url in ("/newsletter/", "/newsletter/members-only/", "/newsletter/?q=x"):
        response = anonymous.get(url)
        assert response.status_code == 302, url
        assert "/accounts/login/" in response["Location"]
    assert not IssueRead.objects.exists()


def test_archive_lists_issues_by_year_with_read_counts(
        archive, programme_admin, employee, champion):
    issue = make_issue(archive, "Read me", slug="read-me")
    publish(issue, programme_admin)
    other = make_issue(archive, "Unread", slug="unread")
    publish(other, programme_admin)
    draft = make_issue(archive, "Secret draft", slug="secret-draft")
    for user in (employee, champion, employee):  # the second visit does not count again
        assert client_for(user).get("/newsletter/read-me/").status_code == 200
    assert IssueRead.objects.filter(issue=issue).count() == 2
    response = client_for(employee).get("/newsletter/")
    assert response.status_code == 200
    year = issue.first_published_at.year
    listed = {page.title: page.read_count for page in response.context["issues_by_year"][year]}
    assert listed == {"Read me": 2, "Unread": 0}
    assert "read by 2 employees" in response.text
    assert "read by 0 employees" in response.text
    assert draft.title not in response.text
    assert client_for(employee).get("/newsletter/secret-draft/").status_code == 404


def test_archive_search_finds_thai_inside_a_word_run(archive, programme_admin, employee):
    publish(make_issue(archive, "Claims", slug="claims", body=[story("เรื่องเล่า", f"<p>{THAI}</p>")]),
            programme_admin)
    publish(make_issue(archive, "ชีวิตลูกค้าธุรกิจเล็ก", slug="small-business"),
            programme_admin)
    publish(make_issue(archive, "Persian", slug="persian", intro=PERSIAN), programme_admin)
    client = client_for(employee)

    def found(query):
        response = client.get("/newsletter/", {"q": query})
        assert response.status_code == 200
        return sorted(i.slug for issues in response.context["issues_by_year"].values()
                      for i in issues)

    assert found("รอสาย") == ["claims"]  # inside the run ลูกค้ารอสายนานเกินไป...
    assert found("ธุรกิจ") == ["small-business"]
    assert found("ลูกค้า") == ["claims", "small-business"]
    assert found("پیگیری") == ["persian"]
    assert found("ไม่มีเลย") == []
    assert found("") == ["claims", "persian", "small-business"]


def test_send_progress_is_for_programme_admins_only(
        archive, programme_admin, champion, employee, reviewer, admin_client_,
        django_capture_on_commit_callbacks):
    UserFactory.create_batch(4)
    send = publish(make_issue(archive), programme_admin, run=True,
                   capture=django_capture_on_commit_callbacks)
    total = len(active_emails())
    response = admin_client_.get(f"/admin/newsletter-sends/{send.pk}/")
    assert response.status_code == 200
    progress = response.context["progress"]
    assert (progress["total"], progress["sent"], progress["pending"], progress["failed"],
            progress["percent"]) == (total, total, 0, 0, 100)
    assert f"<dd>{total}</dd>" in response.text
    index = admin_client_.get("/admin/newsletter-sends/")
    assert index.status_code == 200 and "Customer life: November" in index.text
    for user in (champion, reviewer, employee):
        client = client_for(user)
        for url in (f"/admin/newsletter-sends/{send.pk}/", "/admin/newsletter-sends/"):
            response = client.get(url)
            assert denied(response), (user, url, response.status_code)
            assert "progress" not in (response.context or {})
        for action in ("pause", "retry"):
            assert denied(client.post(f"/admin/newsletter-sends/{send.pk}/control/",
                                      {"action": action}))
        ajax = client.get(f"/admin/newsletter-sends/{send.pk}/",
                          HTTP_X_REQUESTED_WITH="XMLHttpRequest")
        assert ajax.status_code == 403 or denied(ajax)
    send.refresh_from_db()
    assert send.status == Send.Status.DONE


def test_test_send_emails_only_the_requesting_editor(
        archive, champion, employee, reviewer, mailoutbox):
    UserFactory.create_batch(3)
    issue = make_issue(archive, "Draft for checking", body=[story("Story", f"<p>{THAI}</p>")])
    issue.owner = champion  # only its author (and approvers) may test-send a draft
    issue.save(update_fields=["owner"])
    issue.title = "Draft for checking (v2)"
    issue.save_revision(user=champion)
    url = f"/admin/newsletter-test-send/{issue.pk}/"
    client = client_for(champion)
    assert client.get(url).status_code == 200
    response = client.post(url)
    assert response.status_code == 302
    assert [m.to for m in mailoutbox] == [[champion.email]]
    assert mailoutbox[0].subject == "Draft for checking (v2)"  # the latest draft
    assert "Hello Chai Champion," in mailoutbox[0].body
    assert not Delivery.objects.exists() and not Send.objects.exists()
    issue.refresh_from_db()
    assert not issue.live
    # Neither employees nor people who cannot edit the issue can trigger one.
    assert denied(client_for(employee).post(url))
    assert denied(client_for(reviewer).get(url))
    assert denied(client_for(reviewer).post(url))
    assert len(mailoutbox) == 1
