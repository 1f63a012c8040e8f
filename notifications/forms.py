from django import forms
from django.utils.translation import gettext_lazy as _

from people.models import User
from shared.parsing import IdListField

from .kinds import TOPICS


class NotificationSettingsForm(forms.Form):
    email_delivery = forms.ChoiceField(
        label=_("Notification e-mails"), choices=User.EmailDelivery.choices,
        widget=forms.RadioSelect,
        help_text=_("Everything always appears in your notifications in the intranet."),
    )
    email_topics = forms.MultipleChoiceField(
        label=_("E-mail me about"), required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("Untick a topic to see it only in the intranet."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email_topics"].choices = list(TOPICS.items())


class NotificationReadForm(forms.Form):
    # No ids: mark every notification read ("Mark all as read").
    id = IdListField(required=False)
