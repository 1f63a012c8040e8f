"""Headers as they go over the wire (issue 12, item 12).

Parsing a message back with the email package decodes RFC 2047 encoded-words, so a test
that parses before comparing cannot see that `List-Unsubscribe` went out as
`=?utf-8?q?=3Chttps=3A//...?=`, which mail clients do not turn back into a link (no
unsubscribe button). These tests look at the bytes the SMTP server received."""

import re

import pytest
from django.core.mail.utils import DNS_NAME

from newsletter.emails import build_message
from notifications.models import Notification
from notifications.services import render_digest, render_email

from .conftest import THAI, make_issue, publish
from .smtp_sink import SMTPSink

pytestmark = pytest.mark.django_db

# A production-like address: the signed token plus this makes the header ~130 characters.
BASE = "https://customer-intranet.example.com"


@pytest.fixture
def sink(settings, monkeypatch):
    monkeypatch.setattr(DNS_NAME, "_fqdn", "localhost", raising=False)  # no DNS lookup
    settings.WAGTAILADMIN_BASE_URL = BASE
    with SMTPSink() as server:
        settings.MAILERS = {"default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": server.host, "port": server.port, "timeout": 10},
        }}
        yield server


def raw_headers(data: bytes) -> dict[str, str]:
    """The header block exactly as sent: name -> value with folding kept (CRLF + space)."""
    head = data.split(b"\r\n\r\n", 1)[0].decode("ascii")
    headers = {}
    for field in re.split(r"\r\n(?![ \t])", head):
        name, _, value = field.partition(":")
        headers[name] = value.removeprefix(" ")
    return headers


def test_list_unsubscribe_goes_out_as_a_plain_uri_not_encoded_words(
        sink, archive, programme_admin, employee, django_capture_on_commit_callbacks):
    issue = make_issue(archive, f"ชีวิตลูกค้า {THAI[:10]}", slug="wire")
    publish(issue, programme_admin, run=True, capture=django_capture_on_commit_callbacks)
    assert sink.messages
    for received in sink.messages:
        headers = raw_headers(received.data)
        unsubscribe = headers["List-Unsubscribe"]
        assert len(unsubscribe) > 78  # long enough that the bug showed
        assert "=?" not in unsubscribe
        assert re.fullmatch(rf"<{re.escape(BASE)}/subscriptions/unsubscribe/[^<>\s]+/>",
                            unsubscribe), unsubscribe
        assert f"\r\nList-Unsubscribe: <{BASE}/".encode() in received.data
        assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        # The non-ASCII subject is still correctly encoded (that is what RFC 2047 is for).
        assert headers["Subject"].startswith("=?utf-8?")
        assert headers["Message-ID"].startswith("<newsletter.")
    link = raw_headers(sink.messages[0].data)["List-Unsubscribe"].strip("<>")
    assert link.encode() in sink.messages[0].data  # the same link is in the body


def test_list_unsubscribe_is_plain_in_the_message_django_builds(archive, employee, settings):
    """The same through Django's own serialisation (the SMTP backend's policy)."""
    import email.policy

    settings.WAGTAILADMIN_BASE_URL = BASE
    message = build_message(make_issue(archive, "Customer life"), employee)
    data = message.message(policy=email.policy.SMTP).as_bytes()
    assert b"=?utf-8?" not in data.split(b"\r\n\r\n", 1)[0]
    assert re.search(rb"\r\nList-Unsubscribe: <https://customer-intranet\.example\.com/"
                     rb"subscriptions/unsubscribe/[^\s>]+/>\r\n", data)


def test_no_header_injection_through_the_link(archive, employee, settings):
    import email.policy

    settings.WAGTAILADMIN_BASE_URL = BASE + "/\r\nBcc: victim@example.org"
    message = build_message(make_issue(archive, "Customer life"), employee)
    head = message.message(policy=email.policy.SMTP).as_bytes().split(b"\r\n\r\n", 1)[0]
    assert b"\r\nBcc:" not in head
    assert b"/%0D%0ABcc:%20victim@example.org/" in head  # percent-encoded inside the URI
    message.extra_headers["List-Unsubscribe"] = "<https://x/>\r\nBcc: victim@example.org"
    with pytest.raises(ValueError):
        message.message(policy=email.policy.SMTP)


def test_notification_and_digest_headers_on_the_wire(sink, employee):
    """Notification e-mails: ASCII headers stay plain, a Thai subject is encoded."""
    from django.core import mail

    note = Notification.objects.create(recipient=employee, verb="tests.message",
                                       params={"title": f"{THAI} " * 4, "url": "/ideas/1/"})
    plain = Notification.objects.create(recipient=employee, verb="tests.message",
                                        params={"title": "Your idea was accepted",
                                                "url": "/ideas/2/"})
    with mail.mailers.default as connection:
        connection.send_messages([render_email(note), render_email(plain),
                                  render_digest(employee, [note, plain])])
    assert len(sink.messages) == 3
    thai, ascii_only, digest = (raw_headers(m.data) for m in sink.messages)
    assert thai["Subject"].startswith("=?utf-8?")
    assert ascii_only["Subject"] == "Your idea was accepted"
    for headers in (thai, ascii_only, digest):
        for name in ("From", "To", "Message-ID", "Date"):
            assert "=?" not in headers[name], (name, headers[name])
        assert headers["To"] == employee.email


def test_other_long_ascii_headers_are_folded_without_encoding(employee):
    """A long ASCII subject folds at spaces; nothing turns into encoded-words."""
    import email.policy

    note = Notification(recipient=employee, verb="tests.message",
                        params={"title": "Your idea " + "was accepted " * 10, "url": "/ideas/1/"})
    data = render_email(note).message(policy=email.policy.SMTP).as_bytes()
    assert b"=?" not in data.split(b"\r\n\r\n", 1)[0]
