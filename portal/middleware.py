from django.conf import settings
from django.contrib import messages
from django.middleware.csp import ContentSecurityPolicyMiddleware as BaseCSPMiddleware
from django.shortcuts import redirect
from django.urls import reverse
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


class RequireMFAMiddleware:
    """When MFA_REQUIRED_FOR_ROLES is set, people in those roles must activate TOTP
    before they can use anything but the MFA set-up and logout pages."""

    allowed_prefixes = ("/accounts/", "/static/", "/healthz", "/i18n/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        roles = settings.MFA_REQUIRED_FOR_ROLES
        user = request.user
        if (
            roles
            and user.is_authenticated
            and not request.path.startswith(self.allowed_prefixes)
            and user.groups.filter(name__in=roles).exists()
            and not user.authenticator_set.filter(type="totp").exists()
        ):
            messages.warning(
                request, _("Your role requires two-factor authentication. Please set it up.")
            )
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)
