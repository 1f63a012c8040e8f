from django.conf import settings
from django.contrib import messages
from django.db import DatabaseError
from django.middleware.csp import ContentSecurityPolicyMiddleware as BaseCSPMiddleware
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _


class ContentSecurityPolicyMiddleware(BaseCSPMiddleware):
    """Django's CSP, strict on intranet pages; the Wagtail admin gets SECURE_CSP_ADMIN
    because its editor relies on inline scripts and styles."""

    def process_response(self, request, response):
        if request.path.startswith("/admin/"):
            if not hasattr(response, "_csp_config"):
                response._csp_config = settings.SECURE_CSP_ADMIN
            # The page editor's preview panel frames the admin's own preview view.
            response.headers["X-Frame-Options"] = "SAMEORIGIN"
        return super().process_response(request, response)


class PrivateCacheControlMiddleware:
    """`Cache-Control: private, no-store` on the intranet's own responses.

    Nearly every page here is personal or confidential (a signed-in person's pages,
    confidential ideas, CSV exports, attachments, the admin), and the few anonymous ones
    carry secrets in their links (unsubscribe, password reset, e-mail confirmation):
    none may be kept by a shared proxy or left in the browser's cache for the next
    person at a shared computer. A view that sets its own Cache-Control keeps it for
    anonymous visitors; for a signed-in person `private` and `no-store` are added to it
    (`public` goes). Static files never get here: WhiteNoise answers them earlier in
    MIDDLEWARE, with its own long-lived public caching."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        directives = response.get("Cache-Control", "").lower()
        if "no-store" in directives:
            return response  # already at least as strict (e.g. Wagtail admin's never_cache)
        if not directives or self._signed_in(request):
            patch_cache_control(response, private=True, no_store=True)
        return response

    @staticmethod
    def _signed_in(request) -> bool:
        user = getattr(request, "user", None)
        try:
            return bool(user is not None and user.is_authenticated)
        except DatabaseError:
            return True  # cannot tell while the database is down: assume personal


class RequireMFAMiddleware:
    """People who hold one of MFA_REQUIRED_FOR_PERMISSIONS (with REQUIRE_MFA_FOR_STAFF:
    admin access) or are in one of MFA_REQUIRED_FOR_ROLES must activate TOTP before they
    can use anything but the MFA set-up and logout pages."""

    allowed_prefixes = ("/accounts/", "/static/", "/healthz", "/i18n/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        # Cheapest first: with nothing required (the default) the session and user are
        # not even loaded, so /healthz answers while the database is down.
        if (
            self.configured()
            and not request.path.startswith(self.allowed_prefixes)
            and user.is_authenticated
            and self.mfa_required(user)
            and not user.authenticator_set.filter(type="totp").exists()
        ):
            messages.warning(
                request, _("Your role requires two-factor authentication. Please set it up.")
            )
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)

    @staticmethod
    def configured() -> bool:
        return bool(getattr(settings, "MFA_REQUIRED_FOR_PERMISSIONS", [])
                    or settings.MFA_REQUIRED_FOR_ROLES)

    @staticmethod
    def mfa_required(user) -> bool:
        permissions = getattr(settings, "MFA_REQUIRED_FOR_PERMISSIONS", [])
        roles = settings.MFA_REQUIRED_FOR_ROLES
        # has_perm is true for every permission of an active superuser, as it should be.
        if any(user.has_perm(permission) for permission in permissions):
            return True
        return bool(roles) and user.groups.filter(name__in=roles).exists()
