from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django import forms
from django.conf import settings
from django.utils.translation import gettext as _

from .i18n import set_language_cookie


def is_company_email(email: str) -> bool:
    domain = email.rsplit("@", 1)[-1].strip().lower()
    return domain in settings.COMPANY_EMAIL_DOMAINS


def company_domains_text() -> str:
    return ", ".join(f"@{d}" for d in settings.COMPANY_EMAIL_DOMAINS)


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        return settings.ACCOUNT_SIGNUP_OPEN

    def clean_email(self, email):
        email = super().clean_email(email)
        if not is_company_email(email):
            raise forms.ValidationError(
                _("Sign-up is only open to company e-mail addresses (%(domains)s).")
                % {"domains": company_domains_text()}
            )
        return email

    def post_login(self, request, user, **kwargs):
        # The profile's preferred language applies from the moment of sign-in.
        response = super().post_login(request, user, **kwargs)
        set_language_cookie(response, user.preferred_language)
        return response


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """Single sign-on may only create accounts for company addresses too."""

    def is_open_for_signup(self, request, sociallogin):
        email = (sociallogin.user.email or "").strip()
        return bool(email) and is_company_email(email) and settings.ACCOUNT_SIGNUP_OPEN
