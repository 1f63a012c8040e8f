"""What the newsletter's pages read from requests: parsed here, never by hand."""

from django import forms
from django.core.validators import RegexValidator

from .emails import user_from_token

# A signed unsubscribe token is well under this; longer is not one of ours.
MAX_TOKEN_LENGTH = 300


class UnsubscribeForm(forms.Form):
    """The signed token of a one-click unsubscribe link (from the URL): valid only for
    an existing person, with our signature."""

    token = forms.CharField(max_length=MAX_TOKEN_LENGTH, strip=False)

    def clean_token(self):
        person = user_from_token(self.cleaned_data["token"])
        if person is None:
            # Django's own (translated) "Enter a valid value."; the page says more.
            raise forms.ValidationError(RegexValidator.message, code="invalid")
        self.cleaned_data["person"] = person
        return self.cleaned_data["token"]

    @property
    def person(self):
        return self.cleaned_data["person"]


class SubscriptionForm(forms.Form):
    """Subscribe ("1") or stop the e-mails ("0")."""

    subscribe = forms.TypedChoiceField(choices=[("1", "1"), ("0", "0")],
                                       coerce=lambda value: value == "1")


class SendControlForm(forms.Form):
    """A button on a send's progress page."""

    action = forms.ChoiceField(choices=[("pause", "pause"), ("resume", "resume"),
                                        ("retry", "retry")])
