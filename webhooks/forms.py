from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from . import services
from .models import EVENT_CHOICES, Endpoint


class EndpointForm(WagtailAdminModelForm):
    events = forms.MultipleChoiceField(label=_("Events"), choices=EVENT_CHOICES,
                                       widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = Endpoint
        fields = ["url", "description", "events", "preset", "language", "active"]

    def clean(self):
        data = super().clean()
        if not self.errors:
            try:
                data["events"] = services._clean(
                    url=data["url"], events=data["events"], preset=data["preset"],
                    language=data["language"])
            except ValidationError as exc:
                self.add_error("url" if "url" in str(exc) or "address" in str(exc)
                               or "host" in str(exc) else None, exc)
        return data
