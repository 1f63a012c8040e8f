"""SSRF guard: endpoint URLs must not reach the intranet's own network."""

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def check_url(url: str) -> None:
    """Raise ValidationError unless `url` may receive webhooks (scheme and address)."""
    allow_private = getattr(settings, "WEBHOOK_ALLOW_PRIVATE_HOSTS", False)
    parts = urlsplit(url or "")
    allowed = ("https", "http") if (allow_private or settings.WEBHOOK_ALLOW_HTTP) else (
        "https",)
    if parts.scheme not in allowed or not parts.hostname:
        raise ValidationError(_("Use an https:// address."))
    if allow_private:
        return
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 443, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as exc:
        raise ValidationError(_("This host name does not resolve.")) from exc
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%")[0])
        if not address.is_global or address.is_multicast:
            raise ValidationError(_("This address is on a private network and cannot "
                                    "receive webhooks."))
