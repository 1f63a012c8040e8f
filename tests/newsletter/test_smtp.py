"""Against a real SMTP server on loopback: N recipients, exactly N messages."""

import email
import email.policy
import math
from collections import Counter

import pytest
from django.core.mail.utils import DNS_NAME

from newsletter.models import Send
from tests.factories import UserFactory

from .conftest import PERSIAN, THAI, active_emails, make_issue, publish, story
from .smtp_sink import SMTPSink

pytestmark = pytest.mark.django_db

N = 12


@pytest.fixture
def sink(settings, monkeypatch):
    monkeypatch.setattr(DNS_NAME, "_fqdn", "localhost", raising=False)  # no DNS lookup
    with SMTPSink() as server:
        settings.MAILERS = {"default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": server.host, "port": server.port, "timeout": 10},
        }}
        yield server


def test_real_smtp_server_receives_exactly_one_message_per_recipient(
        sink, archive, programme_admin, settings, django_capture_on_commit_callbacks):
    settings.NEWSLETTER_BATCH_SIZE = 5
    UserFactory.create_batch(N - 1)  # plus the programme admin
    UserFactory(is_active=False)
    expected = active_emails()
    assert len(expected) == N
    issue = make_issue(archive, f"ชีวิตลูกค้า {THAI[:10]}", slug="over-the-wire",
                       body=[story("เรื่องเล่า", f"<p>{THAI}</p><p>{PERSIAN}</p>")])
    send = publish(issue, programme_admin, run=True, capture=django_capture_on_commit_callbacks)
    assert len(sink.messages) == N
    envelope = Counter(rcpt for message in sink.messages for rcpt in message.rcpt_to)
    assert envelope == Counter(expected)
    parsed = [email.message_from_bytes(m.data, policy=email.policy.default)
              for m in sink.messages]
    assert sorted(str(p["To"]) for p in parsed) == sorted(expected)
    for message in parsed:
        assert message["Subject"] == issue.title
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert THAI in message.get_body(preferencelist=("plain",)).get_content()
        assert PERSIAN in message.get_body(preferencelist=("html",)).get_content()
    # Batches reuse one SMTP connection each.
    batches = math.ceil(N / settings.NEWSLETTER_BATCH_SIZE)
    assert len({m.session for m in sink.messages}) == batches
    assert sink.sessions == batches  # and no connection opened for nothing
    send.refresh_from_db()
    assert send.status == Send.Status.DONE
    assert set(send.deliveries.values_list("status", flat=True)) == {"sent"}


def test_unreachable_smtp_server_leaves_everyone_pending(
        archive, programme_admin, settings, django_capture_on_commit_callbacks):
    with SMTPSink() as closed:
        port = closed.port  # a port nobody listens on once the sink is gone
    settings.MAILERS = {"default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 2}}}
    UserFactory.create_batch(3)
    send = publish(make_issue(archive), programme_admin, run=True,
                   capture=django_capture_on_commit_callbacks)
    statuses = list(send.deliveries.values_list("status", "error"))
    assert len(statuses) == len(active_emails())
    assert {status for status, _ in statuses} == {"pending"}
    assert all(error for _, error in statuses)
    send.refresh_from_db()
    assert send.status == Send.Status.SENDING  # the sweep tries again later
