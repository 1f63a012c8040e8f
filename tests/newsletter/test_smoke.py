import pytest
from django.core import mail

from newsletter.models import Delivery, NewsletterArchivePage, NewsletterIssuePage
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_publishing_sends_each_subscriber_exactly_one_email(
        programme_admin, employee, django_capture_on_commit_callbacks, client):
    UserFactory.create_batch(3)
    UserFactory(is_active=False)
    archive = NewsletterArchivePage.objects.get()
    issue = archive.add_child(instance=NewsletterIssuePage(
        title="ชีวิตลูกค้า: November", intro="What we learned", slug="november"))
    with django_capture_on_commit_callbacks(execute=True):
        issue.save_revision(user=programme_admin).publish(user=programme_admin)
    active = 5  # employee, admin, 3 others
    assert Delivery.objects.filter(status="sent").count() == active
    assert len(mail.outbox) == active
    message = mail.outbox[0]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.alternatives[0].mimetype == "text/html"
    # Publishing again sends nothing new.
    with django_capture_on_commit_callbacks(execute=True):
        issue.save_revision(user=programme_admin).publish(user=programme_admin)
    assert len(mail.outbox) == active
    client.force_login(employee)
    assert client.get("/newsletter/").status_code == 200
    assert client.get("/newsletter/november/").status_code == 200
    unsubscribe = message.extra_headers["List-Unsubscribe"].strip("<>")
    path = unsubscribe.removeprefix("http://testserver")
    assert client.post(path).status_code == 200
    assert client.post(path[:-3] + "xx/").status_code == 400
