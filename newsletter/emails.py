"""Rendering one newsletter e-mail: HTML and text parts, absolute links, a personal
greeting, a one-click unsubscribe link (signed token) and its headers."""

import email.policy
import re
from email.headerregistry import HeaderRegistry, UnstructuredHeader
from email.utils import parseaddr
from html import unescape

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import iri_to_uri
from django.utils.html import strip_tags
from django.utils.translation import override

SALT = "newsletter.unsubscribe"


def unsubscribe_token(user) -> str:
    return signing.dumps({"u": user.pk}, salt=SALT)


def user_from_token(token: str):
    from people.models import User

    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    return User.objects.filter(pk=data.get("u")).first() if isinstance(data, dict) else None


def base_url() -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/")


def unsubscribe_url(user) -> str:
    # ASCII (an internationalised BASE_URL is percent-encoded): it goes into a header that
    # must carry it verbatim (see URIListHeader).
    return iri_to_uri(base_url() + reverse("newsletter:unsubscribe",
                                           args=[unsubscribe_token(user)]))


_RELATIVE = re.compile(r'(href|src)="/(?!/)')


def absolutise(html: str) -> str:
    return _RELATIVE.sub(lambda m: f'{m.group(1)}="{base_url()}/', html)


def render_issue(issue, *, recipient, unsubscribe_url: str) -> tuple[str, str]:
    language = getattr(recipient, "preferred_language", settings.LANGUAGE_CODE)
    context = {"page": issue, "self": issue, "person": recipient, "email": True,
               "issue_url": base_url() + (issue.url or "/"), "unsubscribe_url": unsubscribe_url,
               "site_name": settings.WAGTAIL_SITE_NAME,
               "direction": "rtl" if language == "fa" else "ltr", "language": language}
    with override(language):
        html = absolutise(render_to_string("newsletter/email.html", context))
        text = render_to_string("newsletter/email.txt", {
            **context, "body_text": re.sub(r"\n{3,}", "\n\n", unescape(strip_tags(html)))})
    return html, text


def safe_subject(title: str) -> str:
    if "\n" in title or "\r" in title:
        raise ValueError("A newsletter subject cannot contain line breaks.")
    return title[:200]


class URIListHeader(UnstructuredHeader):
    """List-Unsubscribe (RFC 2369): a comma-separated list of <URI>s.

    The email package treats a header it does not know as free text, and folds free text
    longer than a line (78 characters) into RFC 2047 encoded-words; mail clients do not
    decode those back into a link, so they offered no unsubscribe button. URIs are ASCII
    and must reach the client verbatim: fold only between them (RFC 5322 allows a line up
    to 998 characters)."""

    _separator = re.compile(r"(?<=>)\s*,\s*")

    def fold(self, *, policy):
        value = str(self)
        if not value.isascii():  # not a URI list after all: encode it like free text
            return super().fold(policy=policy)
        uris = self._separator.split(value.strip())
        return f"{self.name}: " + ("," + policy.linesep + " ").join(uris) + policy.linesep


_HEADERS = HeaderRegistry()
_HEADERS.map_to_type("list-unsubscribe", URIListHeader)


class NewsletterMessage(EmailMultiAlternatives):
    """Serialised with the caller's policy (the SMTP backend passes email.policy.SMTP),
    plus a header registry that knows List-Unsubscribe is a URI list."""

    def message(self, *, policy=email.policy.default):
        return super().message(policy=policy.clone(header_factory=_HEADERS))


def message_id(delivery) -> str:
    """The same for every transmission of one delivery: a message sent twice after a
    worker died is the same message, which mail stores drop (services, point 4)."""
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"
    return f"<newsletter.{delivery.send_id}.{delivery.pk}@{domain}>"


def build_message(issue, recipient, *, to=None) -> EmailMultiAlternatives:
    link = unsubscribe_url(recipient)
    html, text = render_issue(issue, recipient=recipient, unsubscribe_url=link)
    message = NewsletterMessage(
        subject=safe_subject(issue.title), body=text, to=[to or recipient.email],
        headers={"List-Unsubscribe": f"<{link}>",
                 "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
    )
    message.attach_alternative(html, "text/html")
    return message
