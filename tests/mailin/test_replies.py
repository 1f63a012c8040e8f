"""E-mail in: a reply to a notification e-mail about an idea becomes a comment by its
recipient; forged, foreign, automatic, expired, oversize or empty mail creates nothing."""

import smtplib
import socket
from datetime import timedelta
from email.message import EmailMessage

import pytest
from django.core import mail
from django.utils import timezone

from ideas.models import Comment
from mailin.models import InboundMessage
from mailin.receiver import controller
from mailin.services import message_receive
from notifications.models import Notification
from notifications.services import render_email
from tests.factories import UserFactory
from tests.ideas.factories import IdeaFactory, move

DOMAIN = "replies.example.com"
QUOTE = "On Mon, 30 Nov 2026 at 10:00, Customer intranet <noreply@example.com> wrote:\n> Moved"


@pytest.fixture(autouse=True)
def _mailin(settings):
    settings.MAILIN_DOMAIN = DOMAIN


@pytest.fixture
def decided(db, reviewer):
    """A submitter, their idea moved on by a reviewer, and the decision e-mail's Reply-To."""
    submitter = UserFactory()
    idea = move(IdeaFactory(submitter=submitter), "Triage", actor=reviewer)
    notification = Notification.objects.get(recipient=submitter, verb="ideas.decision")
    [reply_to] = render_email(notification).reply_to
    return submitter, idea, notification, reply_to


def reply(*, sender, to, body="Thanks, I'll add the call-back details.", **headers):
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = "Re: your idea"
    message["Message-ID"] = headers.pop("message_id", f"<{timezone.now().timestamp()}@x>")
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content(f"{body}\n\n{QUOTE}\n")
    return message


def receive(message, *, mail_from=None):
    return message_receive(raw=message.as_bytes(), rcpt_to=[message["To"]],
                           mail_from=mail_from if mail_from is not None else message["From"])


def test_the_reply_address_names_the_notification_and_only_ideas_take_replies(decided):
    submitter, idea, notification, reply_to = decided
    assert reply_to.startswith(f"reply+n{notification.pk}-") and reply_to.endswith("@" + DOMAIN)
    other = Notification.objects.create(recipient=submitter, verb="ideas.overdue_reminder",
                                        params={"count": 2})
    assert render_email(other).reply_to == []


def test_no_reply_address_when_e_mail_in_is_off(decided, settings):
    settings.MAILIN_DOMAIN = ""
    assert render_email(decided[2]).reply_to == []


def test_sent_notifications_say_they_are_automatic(decided):
    message = render_email(decided[2]).message()
    assert message["Auto-Submitted"] == "auto-generated"


def test_a_reply_becomes_a_comment_without_the_quoted_history(decided):
    submitter, idea, _, reply_to = decided
    record = receive(reply(sender=submitter.email.upper(), to=reply_to))
    assert record.status == "accepted", record.reason
    comment = Comment.objects.get(idea=idea)
    assert comment.author == submitter
    assert comment.body == "Thanks, I'll add the call-back details."
    assert record.comment_id == comment.pk


def test_the_same_message_twice_makes_one_comment(decided):
    submitter, idea, _, reply_to = decided
    message = reply(sender=submitter.email, to=reply_to, message_id="<same@x>")
    first, second = receive(message), receive(message)
    assert first.pk == second.pk and Comment.objects.filter(idea=idea).count() == 1


@pytest.mark.parametrize("tamper", [
    lambda a: a.replace("reply+n", "reply+n9"),                  # another notification id
    lambda a: a[:-len(DOMAIN) - 3] + "00@" + DOMAIN,             # a changed MAC
    lambda a: "reply+garbage@" + DOMAIN,
    lambda a: a.replace(DOMAIN, "elsewhere.example.com"),
])
def test_forged_addresses_create_nothing(decided, tamper):
    submitter, _, _, reply_to = decided
    record = receive(reply(sender=submitter.email, to=tamper(reply_to)))
    assert record.status == "refused" and not Comment.objects.exists()


def test_someone_else_replying_creates_nothing(decided):
    _, _, _, reply_to = decided
    record = receive(reply(sender=UserFactory().email, to=reply_to))
    assert record.status == "refused" and "sender" in record.reason
    assert not Comment.objects.exists()


@pytest.mark.parametrize("headers", [
    {"Auto_Submitted": "auto-replied"}, {"Precedence": "bulk"}, {"List_Id": "<x.list>"}])
def test_automatic_mail_creates_nothing_and_gets_no_answer(decided, headers):
    submitter, _, _, reply_to = decided
    mail.outbox.clear()
    record = receive(reply(sender=submitter.email, to=reply_to, **headers))
    assert record.status == "refused" and "automatic" in record.reason
    assert not Comment.objects.exists() and mail.outbox == []


def test_a_bounce_creates_nothing(decided):
    submitter, _, _, reply_to = decided
    record = receive(reply(sender=submitter.email, to=reply_to), mail_from="")
    assert record.status == "refused" and not Comment.objects.exists()


def test_an_expired_reply_address_creates_nothing(decided, settings):
    submitter, _, notification, reply_to = decided
    Notification.objects.filter(pk=notification.pk).update(
        created_at=timezone.now() - timedelta(days=settings.MAILIN_REPLY_DAYS + 1))
    record = receive(reply(sender=submitter.email, to=reply_to))
    assert record.reason == "reply address expired" and not Comment.objects.exists()


def test_oversize_malformed_and_empty_mail_create_nothing(decided, settings):
    submitter, _, _, reply_to = decided
    settings.MAILIN_MAX_BYTES = 2000
    big = receive(reply(sender=submitter.email, to=reply_to, body="x" * 5000))
    assert big.reason == "message too large"
    settings.MAILIN_MAX_BYTES = 5_000_000
    empty = receive(reply(sender=submitter.email, to=reply_to, body=""))
    assert empty.reason == "no reply text"
    junk = message_receive(raw=b"\xff\xfe not mail at all", mail_from="a@b", rcpt_to=[reply_to])
    assert junk.status == "refused"
    assert not Comment.objects.exists()


def test_html_in_a_reply_is_kept_as_text(decided):
    submitter, idea, _, reply_to = decided
    receive(reply(sender=submitter.email, to=reply_to, body="<script>alert(1)</script> ok"))
    comment = Comment.objects.get(idea=idea)
    page_body = comment.body
    assert "<script>" in page_body  # stored as text; templates escape it when shown


def test_a_person_who_may_no_longer_see_the_idea_comments_nothing(decided, reviewer):
    submitter, idea, _, _ = decided
    follower = UserFactory()
    from ideas import services

    services.follow_set(idea=idea, actor=follower, follow=True)
    move(idea, "In review", actor=reviewer)
    notification = Notification.objects.filter(recipient=follower).latest("pk")
    [reply_to] = render_email(notification).reply_to
    follower.is_active = False
    follower.save(update_fields=["is_active"])
    record = receive(reply(sender=follower.email, to=reply_to))
    assert record.status == "refused" and not Comment.objects.exists()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# Committed data: the receiver's thread reads it through its own connection.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_over_smtp_a_reply_becomes_a_comment_and_a_forged_one_is_refused(reviewer):
    submitter = UserFactory()
    idea = move(IdeaFactory(submitter=submitter), "Triage", actor=reviewer)
    notification = Notification.objects.get(recipient=submitter, verb="ideas.decision")
    # The address as it goes on the wire, from the sent message's own bytes.
    raw = render_email(notification).message().as_bytes()
    reply_to = next(line.split(b":", 1)[1].strip().decode() for line in raw.splitlines()
                    if line.lower().startswith(b"reply-to:"))
    server = controller(host="127.0.0.1", port=_free_port())
    server.start()
    try:
        with smtplib.SMTP(server.hostname, server.port, timeout=10) as smtp:
            smtp.send_message(reply(sender=submitter.email, to=reply_to, message_id="<ok@x>"))
            forged = reply_to.replace("reply+n", "reply+n1")
            smtp.send_message(reply(sender=submitter.email, to=forged, message_id="<bad@x>"))
            with pytest.raises(smtplib.SMTPRecipientsRefused):
                smtp.send_message(reply(sender=submitter.email, to="someone@elsewhere.org"))
    finally:
        server.stop()
    assert InboundMessage.objects.get(message_id="<ok@x>").status == "accepted"
    assert InboundMessage.objects.get(message_id="<bad@x>").status == "refused"
    [comment] = Comment.objects.filter(idea=idea)
    assert comment.author == submitter and comment.body.startswith("Thanks")
