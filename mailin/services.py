"""E-mail in: a reply to a notification e-mail about an idea becomes a comment by the
person the notification was sent to.

The receiver (manage.py receive_mail) hands every message here. Nothing is created
unless the reply address verifies (notifications.replies), the From address belongs to
that notification's recipient, the message is not automatic (out-of-office, bounces,
lists) and what is left after removing the quoted history is text the comment rules
accept. Every message is recorded once, with what became of it; refusals are never
answered by mail, so a forged or looping sender gets nothing back."""

import email
import email.policy
import hashlib
import logging
from datetime import timedelta
from email.utils import getaddresses

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.html import strip_tags
from mailparser_reply import EmailReplyParser

from ideas import services as ideas
from ideas.models import Idea
from notifications.models import Notification
from notifications.replies import notification_id_from

from .models import InboundMessage

logger = logging.getLogger(__name__)

# Languages whose reply headers ("On … wrote:", "Le … a écrit :") are recognised.
REPLY_LANGUAGES = ["en", "de", "fr", "nl", "it", "es", "pl", "sv", "da", "cs", "ja"]
AUTOMATIC_PRECEDENCE = {"bulk", "junk", "list", "auto_reply"}


class Refused(Exception):
    """Why a message created nothing (recorded, logged, never answered)."""


def _message_id(message, raw: bytes) -> str:
    found = str(message.get("Message-ID", "") or "").strip()
    return found[:255] if found else "sha256:" + hashlib.sha256(raw).hexdigest()


def _is_automatic(message, mail_from: str) -> bool:
    auto = str(message.get("Auto-Submitted", "no") or "no").strip().lower()
    precedence = str(message.get("Precedence", "") or "").strip().lower()
    return (mail_from in ("", "<>") or auto != "no" or precedence in AUTOMATIC_PRECEDENCE
            or message.get("List-Id") is not None)


def _text_of(message) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    content = part.get_content()
    if part.get_content_type() == "text/html":
        content = strip_tags(content)
    # The reply alone: the quoted notification, its "On … wrote:" line and signatures are
    # left out (a reply that is only the quote leaves nothing).
    replies = EmailReplyParser(languages=REPLY_LANGUAGES).read(text=content).replies
    body = replies[0].body if replies else ""
    return "\n".join(line for line in (body or "").splitlines()
                     if not line.lstrip().startswith(">")).strip()


def _owns(person, address: str) -> bool:
    address = address.strip().lower()
    return bool(address) and (person.email.lower() == address or EmailAddress.objects.filter(
        user=person, email__iexact=address, verified=True).exists())


def _reply_notification(rcpt_to: list[str]) -> Notification:
    domain = settings.MAILIN_DOMAIN
    for rcpt in rcpt_to:
        local, _, rcpt_domain = rcpt.strip().strip("<>").lower().rpartition("@")
        if domain and rcpt_domain == domain and local.startswith("reply+"):
            pk = notification_id_from(local.removeprefix("reply+"))
            if pk is None:
                raise Refused("forged or malformed reply address")
            notification = (Notification.objects.select_related("recipient")
                            .filter(pk=pk).first())
            if notification is None:
                raise Refused("reply address of a notification that no longer exists")
            return notification
    raise Refused("not addressed to a reply address")


def _receive(message, raw: bytes, mail_from: str, rcpt_to: list[str]) -> dict:
    if _is_automatic(message, mail_from):
        raise Refused("automatic message (bounce, auto-reply or list)")
    notification = _reply_notification(rcpt_to)
    if notification.created_at < timezone.now() - timedelta(days=settings.MAILIN_REPLY_DAYS):
        raise Refused("reply address expired")
    person = notification.recipient
    senders = [address for _, address in getaddresses([str(message.get("From", ""))])]
    if len(senders) != 1 or not person.is_active or not _owns(person, senders[0]):
        raise Refused("sender is not the person the notification was sent to")
    idea = Idea.objects.filter(pk=(notification.params or {}).get("idea")).first()
    if idea is None:
        raise Refused("the idea no longer exists")
    body = _text_of(message)
    if not body:
        raise Refused("no reply text")
    try:
        comment = ideas.comment_add(idea=idea, actor=person, body=body)
    except PermissionDenied as exc:
        raise Refused("the person may not comment on this idea") from exc
    except ValidationError as exc:
        raise Refused("; ".join(exc.messages)[:200]) from exc
    return {"sender": senders[0], "idea_id": idea.pk, "comment_id": comment.pk}


def message_receive(*, raw: bytes, mail_from: str, rcpt_to: list[str]) -> InboundMessage:
    """Take one message; returns its record (the existing one for a message seen before)."""
    record = {"mail_from": (mail_from or "")[:320], "rcpt_to": ",".join(rcpt_to)[:1000],
              "size": len(raw)}
    try:
        message = email.message_from_bytes(raw, policy=email.policy.default)
        message_id = _message_id(message, raw)
    except Exception:  # noqa: BLE001 - any unparsable input is refused, not a crash
        message, message_id = None, "sha256:" + hashlib.sha256(raw).hexdigest()
    seen = InboundMessage.objects.filter(message_id=message_id).first()
    if seen is not None:
        return seen
    try:
        with transaction.atomic():
            if len(raw) > settings.MAILIN_MAX_BYTES:
                raise Refused("message too large")
            if message is None:
                raise Refused("malformed message")
            try:
                outcome = _receive(message, raw, mail_from, rcpt_to)
            except (ValueError, TypeError, LookupError, UnicodeError) as exc:
                raise Refused(f"malformed message ({type(exc).__name__})") from exc
            return InboundMessage.objects.create(
                message_id=message_id, status=InboundMessage.Status.ACCEPTED, **record,
                **outcome)
    except Refused as exc:
        logger.warning("Inbound e-mail %s from %r refused: %s", message_id, mail_from, exc)
        try:
            return InboundMessage.objects.create(
                message_id=message_id, status=InboundMessage.Status.REFUSED,
                reason=str(exc)[:200], **record)
        except IntegrityError:
            return InboundMessage.objects.get(message_id=message_id)
    except IntegrityError:
        # The same message, taken by a second receiver at the same moment: its comment
        # was rolled back with this transaction; the first one stands.
        return InboundMessage.objects.get(message_id=message_id)
