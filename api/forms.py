from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import AccessToken

EXPIRY_CHOICES = [("30", _("In 30 days")), ("90", _("In 90 days")),
                  ("365", _("In a year")), ("", _("Never"))]


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100,
                           help_text=_("What the token is for, e.g. “team dashboard”."))
    scope = forms.ChoiceField(label=_("Access"), choices=AccessToken.Scope.choices,
                              initial=AccessToken.Scope.READ, widget=forms.RadioSelect)
    expires = forms.ChoiceField(label=_("Expires"), choices=EXPIRY_CHOICES, initial="90",
                                required=False)

    def expires_at(self):
        days = self.cleaned_data.get("expires")
        return timezone.now() + timedelta(days=int(days)) if days else None
