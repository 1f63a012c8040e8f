"""Per-person e-mail choices and the daily digest (one e-mail per person per day)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core import mail

from notifications.models import Notification
from notifications.services import notification_create, topic_for
from notifications.tasks import send_daily_digests, send_pending_notification_emails
from people.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TZ = ZoneInfo(settings.TIME_ZONE)
MONDAY_9AM = dt.datetime(2026, 11, 23, 9, 0, tzinfo=TZ)


def notify(person, verb="ideas.decision", title="Your idea was decided"):
    """A real kind of notification whose rendered title contains `title`."""
    params = {"ideas.decision": {"idea": 1, "title": title, "stage": "Accepted"},
              "training.due": {"module": title, "due_on": "2026-11-30", "overdue": False}}
    return notification_create(recipients=[person], verb=verb, params=params[verb])


def test_settings_page_saves_choices(employee_client, employee):
    response = employee_client.get("/notifications/settings/")
    assert response.status_code == 200
    assert "<legend" in response.content.decode()
    response = employee_client.post("/notifications/settings/", {
        "email_delivery": "daily", "email_topics": ["ideas", "training"]})
    assert response.status_code == 302
    employee.refresh_from_db()
    assert employee.email_delivery == "daily"
    assert employee.email_muted_topics == ["champions", "review"]


def test_settings_page_refuses_bad_input_and_changes_nothing(employee_client, employee):
    response = employee_client.post("/notifications/settings/", {
        "email_delivery": "<script>hourly</script>", "email_topics": ["nonsense"]})
    assert response.status_code == 400
    assert "<script>hourly" not in response.content.decode()
    employee.refresh_from_db()
    assert employee.email_delivery == "immediately"
    assert employee.email_muted_topics == []


def test_topics_map_verbs_including_the_reviewers_own():
    assert topic_for("ideas.decision") == "ideas"
    assert topic_for("ideas.assigned") == "review"
    assert topic_for("champions.nomination") == "champions"
    assert topic_for("training.due") == "training"


def test_muted_topic_and_no_email_stay_in_app_only(employee, django_capture_on_commit_callbacks):
    employee.email_muted_topics = ["training"]
    employee.save()
    never = UserFactory(email_delivery=User.EmailDelivery.NEVER)
    with django_capture_on_commit_callbacks(execute=True):
        notify(employee, verb="training.due", title="A module is due")
        notify(never)
    assert len(mail.outbox) == 0
    assert set(Notification.objects.values_list("email_status", flat=True)) == {"not_needed"}
    # Still in the notification centre.
    assert employee.notifications.count() == 1 and never.notifications.count() == 1


def test_digest_batches_a_day_into_one_email_per_person(django_capture_on_commit_callbacks):
    alice = UserFactory(email_delivery=User.EmailDelivery.DAILY)
    bijan = UserFactory(email_delivery=User.EmailDelivery.DAILY, preferred_language="fa")
    with time_machine.travel(MONDAY_9AM - dt.timedelta(hours=12), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            notify(alice, title="First")
            notify(alice, title="Second <b>bold</b>")
            notify(bijan, title="ایده شما بررسی شد")
        # Nothing goes out one by one.
        send_pending_notification_emails()
        assert len(mail.outbox) == 0

    with time_machine.travel(MONDAY_9AM, tick=False):
        assert send_daily_digests() == 2
        by_person = {m.to[0]: m for m in mail.outbox}
        assert len(mail.outbox) == 2
        assert "First" in by_person[alice.email].body
        assert "Second <b>bold</b>" in by_person[alice.email].body
        html = by_person[alice.email].alternatives[0].content
        assert "Second &lt;b&gt;bold&lt;/b&gt;" in html
        assert "ایده شما بررسی شد" in by_person[bijan.email].body
        assert 'dir="rtl"' in by_person[bijan.email].alternatives[0].content
        # A second run the same day, and news arriving later that day: no second e-mail.
        with django_capture_on_commit_callbacks(execute=True):
            notify(alice, title="Third")
        assert send_daily_digests() == 0
        assert len(mail.outbox) == 2

    with time_machine.travel(MONDAY_9AM + dt.timedelta(days=1), tick=False):
        assert send_daily_digests() == 1
        assert len(mail.outbox) == 3
        assert "Third" in mail.outbox[2].body and "First" not in mail.outbox[2].body
    assert not Notification.objects.exclude(email_status="sent").exists()


def test_failed_digest_is_kept_and_sent_once_later(monkeypatch):
    from django.core.mail import EmailMultiAlternatives

    alice = UserFactory(email_delivery=User.EmailDelivery.DAILY)
    notify(alice)
    original = EmailMultiAlternatives.send

    def smtp_down(self, *args, **kwargs):
        raise ConnectionRefusedError("SMTP down")

    with time_machine.travel(MONDAY_9AM, tick=False):
        monkeypatch.setattr(EmailMultiAlternatives, "send", smtp_down)
        assert send_daily_digests() == 0
        note = Notification.objects.get()
        assert note.email_status == "digest" and "SMTP down" in note.email_error
        monkeypatch.setattr(EmailMultiAlternatives, "send", original)
        # The hourly retry the same day sends it, once.
        assert send_daily_digests() == 1
        assert send_daily_digests() == 0
    assert len(mail.outbox) == 1
