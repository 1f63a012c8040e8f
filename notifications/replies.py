"""Reply addresses for notification e-mails: replying to one about an idea adds a
comment (mailin.services). The address names the notification and carries an HMAC of
it, in lower-case hex because mail servers may change the case of a local part:

    reply+n<notification id>-<hmac>@<MAILIN_DOMAIN>"""

import re

from django.conf import settings
from django.utils.crypto import constant_time_compare, salted_hmac

SALT = "notifications.replies"
TOKEN = re.compile(r"^n(?P<pk>[1-9][0-9]{0,18})-(?P<mac>[0-9a-f]{32})$")


def _mac(pk: int) -> str:
    return salted_hmac(SALT, f"notification:{pk}", algorithm="sha256").hexdigest()[:32]


def reply_address(notification) -> str | None:
    """The Reply-To of this notification's e-mail, or None: only notifications about an
    idea take replies, and only where e-mail in is configured (MAILIN_DOMAIN)."""
    domain = getattr(settings, "MAILIN_DOMAIN", "")
    if not domain or not (notification.params or {}).get("idea"):
        return None
    return f"reply+n{notification.pk}-{_mac(notification.pk)}@{domain}"


def notification_id_from(token: str) -> int | None:
    """The notification a reply token names, or None if it is malformed or forged."""
    found = TOKEN.match(token or "")
    if not found or not constant_time_compare(found["mac"], _mac(int(found["pk"]))):
        return None
    return int(found["pk"])
