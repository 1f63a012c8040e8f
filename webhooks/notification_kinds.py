"""What the webhooks app tells people; rendered in the reader's language."""

from django.urls import reverse
from django.utils.translation import gettext as _

from notifications.kinds import NotificationKind, kinds, show_number


@kinds.register
class EndpointDisabled(NotificationKind):
    """A webhook endpoint failed too often in a row and was switched off."""

    verb = "webhooks.endpoint_disabled"
    topic = "review"  # programme administration, not one's own ideas

    def title(self, params):
        return _("Webhook “%(name)s” was switched off after %(n)s failed deliveries") % {
            "name": params.get("description") or params["url"],
            "n": show_number(params["failures"])}

    def body(self, params):
        return _("Check the receiver at %(url)s, then switch the endpoint back on in the "
                 "admin (Settings › Webhooks).") % {"url": params["url"]}

    def link(self, params):
        return reverse("webhooks:deliveries", args=[params["endpoint"]])
