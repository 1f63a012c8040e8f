import pytest
from django.core import mail

from notifications.models import Notification
from notifications.services import notification_create
from notifications.tasks import send_pending_notification_emails
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_notification_is_recorded_then_emailed_once_after_commit(
        employee, reviewer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notification_create(recipients=[employee, employee, reviewer], actor=reviewer,
                            verb="tests.message",
                            params={"title": "ความคิดของคุณได้รับการตัดสินแล้ว",
                                    "body": "Reason: سلام", "url": "/ideas/1/"})
    # The actor is never notified of their own action; duplicates collapse.
    assert list(Notification.objects.values_list("recipient", flat=True)) == [employee.pk]
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "ความคิดของคุณได้รับการตัดสินแล้ว"
    assert "http://testserver/ideas/1/" in message.body
    assert "سلام" in message.alternatives[0].content
    assert Notification.objects.get().email_status == "sent"
    send_pending_notification_emails()
    assert len(mail.outbox) == 1


def test_failed_mail_is_kept_pending_and_retried(employee, monkeypatch,
                                                 django_capture_on_commit_callbacks):
    from django.core.mail import EmailMultiAlternatives

    def smtp_down(self, *args, **kwargs):
        raise ConnectionRefusedError("SMTP down")

    monkeypatch.setattr(EmailMultiAlternatives, "send", smtp_down)
    with django_capture_on_commit_callbacks(execute=True):
        notification_create(recipients=[employee], verb="tests.message", params={"title": "Hello"})
    note = Notification.objects.get()
    assert note.email_status == "pending"
    assert "SMTP down" in note.email_error
    monkeypatch.undo()
    assert send_pending_notification_emails() == 1
    assert send_pending_notification_emails() == 0
    assert len(mail.outbox) == 1


def test_subject_cannot_inject_headers(employee, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notification_create(recipients=[employee], verb="tests.message",
                            params={"title": "Hi\r\nBcc: evil@x.test"})
    assert mail.outbox[0].recipients() == [employee.email]
    assert "\n" not in mail.outbox[0].subject


def test_notification_centre_lists_and_marks_read(employee_client, employee):
    other = UserFactory()
    notification_create(recipients=[employee], verb="tests.message",
                        params={"title": "For <b>you</b>"}, email=False)
    notification_create(recipients=[other], verb="tests.message", params={"title": "Not for you"},
                        email=False)
    page = employee_client.get("/notifications/").content.decode()
    assert "For &lt;b&gt;you&lt;/b&gt;" in page
    assert "Not for you" not in page
    assert 'class="count">1' in page
    employee_client.post("/notifications/read/")
    assert not Notification.objects.filter(recipient=employee, read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=other, read_at__isnull=True).exists()


def test_mark_read_never_redirects_off_site(employee_client):
    response = employee_client.post("/notifications/read/", {"next": "//evil.test/"})
    assert response.url == "/notifications/"


def test_services_publish_tasks_by_name_in_a_process_that_never_imported_them():
    """Services name their tasks instead of importing them (no services <-> tasks cycle);
    a web process that imported no tasks module must still find them."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    code = ("import django; django.setup()\n"
            "import sys\n"
            "assert 'notifications.tasks' not in sys.modules\n"
            "from shared.resilience import publish\n"
            "print(publish('portal.ping', args=['x']))\n")
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=Path(__file__).resolve().parents[2],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.test"},
        capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "True"
