from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language_bidi
from django.utils.translation import gettext_lazy as _

# Sections of the intranet, by URL name. A section appears once its app routes it.
MAIN_NAVIGATION = [
    (_("Home"), "portal:home", "house"),
    (_("Ideas"), "ideas:list", "lightbulb"),
    (_("Champions"), "champions:roster", "users"),
    (_("Onboarding"), "training:my_onboarding", "graduation-cap"),
    (_("Newsletter"), "newsletter_archive", "newspaper"),
]


def _navigation(request):
    items = []
    for label, url_name, icon in MAIN_NAVIGATION:
        try:
            url = ("/" if url_name == "portal:home" else "/newsletter/"
                   if url_name == "newsletter_archive" else reverse(url_name))
        except NoReverseMatch:
            continue
        current = request.path == url if url == "/" else request.path.startswith(url)
        items.append({"label": label, "url": url, "current": current, "icon": icon})
    return items


def site(request):
    return {
        "site_name": settings.WAGTAIL_SITE_NAME,
        "text_direction": "rtl" if get_language_bidi() else "ltr",
        "main_navigation": _navigation(request),
        "unread_notifications": _unread(request),
    }


def _unread(request) -> int:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return 0
    # The home view reads it along with the person's roles (portal.views._load_person).
    known = getattr(request, "_unread_notifications", None)
    if known is not None:
        return known
    return user.notifications.filter(read_at__isnull=True).count()
