from allauth.account import app_settings as allauth_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.forms import SignupForm as AllauthSignupForm
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from shared.i18n import set_language_cookie


def is_company_email(email: str) -> bool:
    domain = email.rsplit("@", 1)[-1].strip().lower()
    return domain in settings.COMPANY_EMAIL_DOMAINS


def company_domains_text() -> str:
    return ", ".join(f"@{d}" for d in settings.COMPANY_EMAIL_DOMAINS)


def email_max_length() -> int:
    return min(get_user_model()._meta.get_field("email").max_length,
               allauth_settings.EMAIL_MAX_LENGTH)


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        return settings.ACCOUNT_SIGNUP_OPEN

    def clean_email(self, email):
        email = super().clean_email(email)
        # allauth cuts the address it stores on the user to the column's length (254) but
        # keeps the whole one as the address to verify: an account made from a longer one
        # could never be verified, so refuse it here.
        limit = email_max_length()
        if len(email) > limit:
            raise forms.ValidationError(
                _("An e-mail address can be at most %(limit)s characters long.")
                % {"limit": limit}
            )
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
        # The same length rule as sign-up: a longer address would be cut on the user.
        return (bool(email) and len(email) <= email_max_length() and is_company_email(email)
                and settings.ACCOUNT_SIGNUP_OPEN)


class SignupForm(AllauthSignupForm):
    """allauth's sign-up form, safe when the same address signs up twice at once.

    The form checks that the address is free, then saves: two sign-ups at once both pass
    the check, and the second insert breaks the database's unique e-mail constraint
    (the username allauth derives from the address can collide the same way). Instead of
    a 500, the loser gets what any sign-up with a taken address gets here: the "check
    your e-mail" page, and the address's owner a "you already have an account" mail
    (allauth's enumeration prevention, ACCOUNT_PREVENT_ENUMERATION)."""

    ATTEMPTS = 3

    def try_save(self, request):
        for _attempt in range(self.ATTEMPTS - 1):
            try:
                # The account and its e-mail address are saved together or not at all.
                with transaction.atomic():
                    return super().try_save(request)
            except IntegrityError:
                if self.account_already_exists:
                    raise
                # The insert waited for the other sign-up to commit, so its account is
                # visible now. If the address is free, only the generated username
                # collided: the next attempt derives another one.
                email = self.cleaned_data.get("email") or ""
                if get_user_model().objects.filter(email__iexact=email).exists():
                    self.account_already_exists = True
        with transaction.atomic():
            return super().try_save(request)
